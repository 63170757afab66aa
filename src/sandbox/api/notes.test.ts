import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc } from '../testing/helpers.ts';

let sb: Sandbox;
let tok: Record<string, string>;
let iid: number;
const P = `/projects/${enc('acme/platform/security/juice-shop')}`;

beforeAll(async () => {
  sb = await startSandbox({ rateLimits: 'off' });
  tok = Object.fromEntries(sb.users.map((u) => [u.username, u.token]));
  iid = (await api(sb, `${P}/issues`, { token: tok.alice, body: { title: 'notes' } })).body.iid;
});
afterAll(() => sb.close());

const N = () => `${P}/issues/${iid}/notes`;

describe('issue notes', () => {
  it('creates a note (201) in the documented shape and touches the issue', async () => {
    const before = (await api(sb, `${P}/issues/${iid}`, { token: tok.alice })).body.updated_at;
    sb.admin.advanceClock(1000);
    const res = await api(sb, N(), { token: tok.bob, body: { body: 'Looks real.' } });
    expect(res.status).toBe(201);
    const n = res.body;
    expect(Object.keys(n).sort()).toEqual(
      [
        'attachment',
        'author',
        'body',
        'commands_changes',
        'confidential',
        'created_at',
        'id',
        'imported',
        'imported_from',
        'internal',
        'noteable_id',
        'noteable_iid',
        'noteable_type',
        'project_id',
        'resolvable',
        'system',
        'type',
        'updated_at',
      ].sort(),
    );
    expect(n).toMatchObject({
      body: 'Looks real.',
      system: false,
      noteable_type: 'Issue',
      noteable_iid: iid,
      internal: false,
      confidential: false,
      type: null,
      resolvable: false,
    });
    expect(n.author.username).toBe('bob');
    const after = (await api(sb, `${P}/issues/${iid}`, { token: tok.alice })).body;
    expect(after.updated_at > before).toBe(true);
    expect(after.user_notes_count).toBe(1);
  });

  it('hides internal notes from a Guest and forbids a Guest to write one', async () => {
    const res = await api(sb, N(), { token: tok.alice, body: { body: 'internal only', internal: true } });
    expect(res.body.internal).toBe(true);
    expect(res.body.confidential).toBe(true);
    const guest = await api(sb, N(), { token: tok.dave });
    expect(guest.body.some((x: { id: number }) => x.id === res.body.id)).toBe(false);
    expect((await api(sb, `${N()}/${res.body.id}`, { token: tok.dave })).status).toBe(404);
    const reporter = await api(sb, N(), { token: tok.carol });
    expect(reporter.body.some((x: { id: number }) => x.id === res.body.id)).toBe(true);
    expect((await api(sb, N(), { token: tok.dave, body: { body: 'sneaky', internal: true } })).status).toBe(403);
    const legacy = await api(sb, N(), { token: tok.alice, body: { body: 'old param', confidential: true } });
    expect(legacy.body.internal).toBe(true);
  });

  it('sorts (default desc by created_at) and pages', async () => {
    const desc = await api(sb, N(), { token: tok.alice });
    const ids = desc.body.map((n: { id: number }) => n.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    const asc = await api(sb, `${N()}?sort=asc&per_page=1`, { token: tok.alice });
    expect(asc.body[0].id).toBe(Math.min(...ids));
    expect(asc.headers.get('x-next-page')).toBe('2');
  });

  it('edits only for the author or a Maintainer, deletes with 204', async () => {
    const { id } = (await api(sb, N(), { token: tok.carol, body: { body: 'typo' } })).body;
    expect((await api(sb, `${N()}/${id}`, { token: tok.dave, method: 'PUT', body: { body: 'x' } })).status).toBe(403);
    const ok = await api(sb, `${N()}/${id}`, { token: tok.carol, method: 'PUT', body: { body: 'fixed' } });
    expect(ok.status).toBe(200);
    expect(ok.body.body).toBe('fixed');
    expect((await api(sb, `${N()}/${id}`, { token: tok.dave, method: 'DELETE' })).status).toBe(403);
    expect((await api(sb, `${N()}/${id}`, { token: tok.alice, method: 'DELETE' })).status).toBe(204);
    expect((await api(sb, `${N()}/${id}`, { token: tok.alice })).body).toEqual({ message: '404 Note Not Found' });
  });

  it('validates the body in GitLab’s forms', async () => {
    expect((await api(sb, N(), { token: tok.alice, body: {} })).body).toEqual({ error: 'body is missing' });
    const long = await api(sb, N(), { token: tok.alice, body: { body: 'x'.repeat(1_000_001) } });
    expect(long.status).toBe(400);
    expect(long.body).toEqual({ message: 'Note {:note=>["is too long (maximum is 1000000 characters)"]}' });
    expect((await api(sb, N(), { token: tok.alice, body: { body: 'x'.repeat(1_000_000) } })).status).toBe(201);
  });

  it('writes system notes for assignment and title changes', async () => {
    const bob = sb.store.userByName('bob')!;
    await api(sb, `${P}/issues/${iid}`, {
      token: tok.alice,
      method: 'PUT',
      body: { assignee_ids: [bob.id], title: 'renamed' },
    });
    const notes = await api(sb, `${N()}?per_page=100`, { token: tok.alice });
    const system = notes.body.filter((n: { system: boolean }) => n.system).map((n: { body: string }) => n.body);
    expect(system).toContain('assigned to @bob');
    expect(system).toContain('changed title from **notes** to **renamed**');
  });
});
