import { describe, expect, it } from 'vitest';
import { paginate } from './pagination.ts';
import type { Ctx } from './router.ts';

function ctx(input: Record<string, unknown>): Ctx {
  return { rt: { url: 'http://gl.test' }, path: '/api/v4/projects/1/issues', input } as unknown as Ctx;
}

describe('offset pagination', () => {
  it('links first/prev/next/last, keeping the other query parameters', () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    const reply = paginate(ctx({ page: '2', per_page: '20', labels: 'a,b', iids: ['1', '2'] }), items, (i) => i);
    const h = reply.headers as Record<string, string>;
    expect(reply.body).toEqual(items.slice(20, 40));
    expect(h['x-page']).toBe('2');
    expect(h['x-prev-page']).toBe('1');
    expect(h['x-next-page']).toBe('3');
    expect(h['x-total']).toBe('45');
    expect(h['x-total-pages']).toBe('3');
    expect(h.link).toContain(
      '<http://gl.test/api/v4/projects/1/issues?labels=a%2Cb&iids%5B%5D=1&iids%5B%5D=2&page=3&per_page=20>; rel="next"',
    );
    expect(h.link).toContain('rel="prev"');
    expect(h.link).toContain('rel="first"');
    expect(h.link).toContain('page=3&per_page=20>; rel="last"');
  });

  it('omits x-total, x-total-pages and rel="last" above 10,000 records', () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i);
    const h = paginate(ctx({}), items, (i) => i).headers as Record<string, string>;
    expect(h['x-total']).toBeUndefined();
    expect(h['x-total-pages']).toBeUndefined();
    expect(h.link).not.toContain('rel="last"');
    expect(h['x-next-page']).toBe('2');
  });

  it('answers an empty page past the end with an empty x-next-page', () => {
    const reply = paginate(ctx({ page: '9' }), [1, 2, 3], (i) => i);
    expect(reply.body).toEqual([]);
    expect((reply.headers as Record<string, string>)['x-next-page']).toBe('');
  });
});
