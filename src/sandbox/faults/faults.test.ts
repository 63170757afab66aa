import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc } from '../testing/helpers.ts';
import { Faults, parseFaultSpec } from './faults.ts';

describe('fault spec', () => {
  it('parses kinds, probabilities and options', () => {
    expect(
      parseFaultSpec(
        'latency=200, error=0.1:status=503, 429=1:times=5:form=application, lost=1:method=post:path=/issues:times=1, reset=0.05, timeout=0.01',
      ),
    ).toEqual([
      { kind: 'latency', ms: 200 },
      { kind: 'error', probability: 0.1, status: 503 },
      { kind: 'rate_limit', probability: 1, times: 5, form: 'application' },
      { kind: 'lost', probability: 1, method: 'POST', path: '/issues', times: 1 },
      { kind: 'reset', probability: 0.05 },
      { kind: 'timeout', probability: 0.01 },
    ]);
    expect(() => parseFaultSpec('explode=1')).toThrow(/unknown fault kind/);
    expect(() => parseFaultSpec('error=1:colour=red')).toThrow(/unknown fault option/);
  });

  it('fires a fraction of requests, reproducibly for a given seed', () => {
    const count = (seed: number) => {
      const f = new Faults(seed);
      f.set([{ kind: 'error', probability: 0.25 }]);
      let n = 0;
      for (let i = 0; i < 4000; i += 1) if (f.decide('GET', '/api/v4/user').rule) n += 1;
      return n;
    };
    expect(count(7)).toBe(count(7));
    expect(count(7)).toBeGreaterThan(850);
    expect(count(7)).toBeLessThan(1150);
  });
});

describe('faults over HTTP', () => {
  let sb: Sandbox;
  let token: string;
  const P = `/projects/${enc('acme/platform/security/dvwa')}`;
  beforeAll(async () => {
    sb = await startSandbox({ rateLimits: 'off' });
    token = sb.users[0]!.token;
  });
  afterAll(() => sb.close());
  afterEach(() => sb.admin.clearFaults());

  it('applies a create whose response is lost (502), so a retry would duplicate it', async () => {
    sb.admin.setFaults('lost=1:method=POST:path=/issues:times=1');
    const before = sb.store.projectIssues(sb.admin.project('acme/platform/security/dvwa')!.id).length;
    const res = await api(sb, `${P}/issues`, { token, body: { title: 'lost response', labels: 'VB-LOST00000001' } });
    expect(res.status).toBe(502);
    expect(res.text).toContain('502 Bad Gateway');
    const list = await api(sb, `${P}/issues?labels=VB-LOST00000001`, { token });
    expect(list.body.map((i: { title: string }) => i.title)).toEqual(['lost response']);
    expect(sb.store.projectIssues(sb.admin.project('acme/platform/security/dvwa')!.id).length).toBe(before + 1);
    // times=1: the next create answers normally.
    expect((await api(sb, `${P}/issues`, { token, body: { title: 'fine' } })).status).toBe(201);
  });

  it('can lose the response as a connection reset after applying', async () => {
    sb.admin.setFaults([{ kind: 'lost', status: 0, method: 'POST', times: 1 }]);
    await expect(
      api(sb, `${P}/issues`, { token, body: { title: 'reset after apply', labels: 'VB-LOST00000002' } }),
    ).rejects.toThrow();
    expect((await api(sb, `${P}/issues?labels=VB-LOST00000002`, { token })).body).toHaveLength(1);
  });

  it('answers 5xx without applying, and resets connections before applying', async () => {
    sb.admin.setFaults('error=1:status=503:times=1,reset=1:times=1');
    const err = await api(sb, `${P}/issues`, { token, body: { title: 'not applied', labels: 'VB-NOPE00000001' } });
    expect(err.status).toBe(503);
    await expect(
      api(sb, `${P}/issues`, { token, body: { title: 'not applied', labels: 'VB-NOPE00000001' } }),
    ).rejects.toThrow();
    expect((await api(sb, `${P}/issues?labels=VB-NOPE00000001`, { token })).body).toEqual([]);
  });

  it('sends 429 bursts in both GitLab forms', async () => {
    sb.admin.setFaults('429=1:times=2:retry_after=7');
    const a = await api(sb, '/user', { token });
    expect(a.status).toBe(429);
    expect(a.text).toBe('Retry later\n');
    expect(a.headers.get('content-type')).toBe('text/plain');
    expect(a.headers.get('retry-after')).toBe('7');
    expect(a.headers.get('ratelimit-remaining')).toBe('0');
    expect((await api(sb, '/user', { token })).status).toBe(429);
    expect((await api(sb, '/user', { token })).status).toBe(200);
    sb.admin.setFaults('429=1:times=1:form=application');
    const b = await api(sb, '/user', { token });
    expect(b.status).toBe(429);
    expect(b.body).toEqual({ message: { error: 'This endpoint has been requested too many times. Try again later.' } });
    expect(b.headers.get('retry-after')).toBeNull();
  });

  it('holds a request without answering (timeout) until the client gives up', async () => {
    sb.admin.setFaults('timeout=1:times=1');
    const started = Date.now();
    await expect(
      fetch(`${sb.apiUrl}/user`, { headers: { 'PRIVATE-TOKEN': token }, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await api(sb, '/user', { token })).status).toBe(200);
  });

  it('adds latency', async () => {
    sb.admin.setLatency(150);
    const t0 = Date.now();
    await api(sb, '/user', { token });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(145);
  });

  it('is scripted at run time through the admin endpoint, which is never faulted', async () => {
    const put = await api(sb, '/-/sandbox/faults', { method: 'PUT', body: { spec: 'error=1:status=500' } });
    expect(put.status).toBe(200);
    expect(put.body.rules).toEqual([{ kind: 'error', probability: 1, status: 500 }]);
    const res = await api(sb, '/user', { token });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: '500 Internal Server Error' });
    expect((await api(sb, '/-/sandbox/faults')).status).toBe(200);
    expect((await api(sb, '/-/sandbox/faults', { method: 'DELETE' })).body.rules).toEqual([]);
    expect((await api(sb, '/user', { token })).status).toBe(200);
    expect((await api(sb, '/-/sandbox/faults', { method: 'PUT', body: { spec: 'bogus=1' } })).status).toBe(400);
  });

  it('expires a token now through the admin endpoint', async () => {
    const t = sb.admin.createToken('carol');
    expect((await api(sb, '/-/sandbox/tokens/expire', { body: { token: t } })).body).toEqual({ found: true });
    const res = await api(sb, '/user', { token: t });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });
});

describe('rate-limit profiles', () => {
  it('gitlab.com: RateLimit headers on answers, 60 notes a minute then a JSON 429 without headers', async () => {
    const sb = await startSandbox({ rateLimits: 'gitlab.com' });
    try {
      const token = sb.users[0]!.token;
      const P = `/projects/${enc('acme/platform/security/juice-shop')}`;
      const ok = await api(sb, '/user', { token });
      expect(ok.headers.get('ratelimit-limit')).toBe('2000');
      expect(ok.headers.get('ratelimit-name')).toBe('throttle_authenticated_api');
      expect(Number(ok.headers.get('ratelimit-remaining'))).toBe(2000 - Number(ok.headers.get('ratelimit-observed')));
      // Align to the start of a window so the 61 requests share one.
      sb.admin.advanceClock(60_000 - (sb.store.now() % 60_000) + 10);
      const statuses: number[] = [];
      for (let i = 0; i < 61; i += 1)
        statuses.push((await api(sb, `${P}/issues/1/notes`, { token, body: { body: `n${i}` } })).status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(60);
      const last = await api(sb, `${P}/issues/1/notes`, { token, body: { body: 'again' } });
      expect(last.status).toBe(429);
      expect(last.body).toEqual({
        message: { error: 'This endpoint has been requested too many times. Try again later.' },
      });
      expect(last.headers.get('retry-after')).toBeNull();
      sb.admin.advanceClock(60_000);
      expect((await api(sb, `${P}/issues/1/notes`, { token, body: { body: 'next minute' } })).status).toBe(201);
    } finally {
      await sb.close();
    }
  });

  it('gitlab.com: the authenticated API throttle answers plain-text 429 with Retry-After', async () => {
    const sb = await startSandbox({ rateLimits: 'gitlab.com' });
    try {
      const token = sb.users[0]!.token;
      sb.admin.advanceClock(60_000 - (sb.store.now() % 60_000) + 10);
      const burst: Awaited<ReturnType<typeof api>>[] = [];
      for (let i = 0; i < 2001; i += 50) {
        const n = Math.min(50, 2001 - i);
        burst.push(...(await Promise.all(Array.from({ length: n }, () => api(sb, '/user', { token })))));
      }
      expect(burst).toHaveLength(2001);
      const limited = burst.filter((r) => r.status === 429);
      expect(limited).toHaveLength(1);
      expect(limited[0]!.text).toBe('Retry later\n');
      expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited[0]!.headers.get('ratelimit-resettime')).toMatch(/GMT$/);
    } finally {
      await sb.close();
    }
  });

  it('gitlab.com: GET /groups is limited to 200 a minute (JSON 429)', async () => {
    const sb = await startSandbox({ rateLimits: 'gitlab.com' });
    try {
      const token = sb.users[0]!.token;
      sb.admin.advanceClock(60_000 - (sb.store.now() % 60_000) + 10);
      const statuses: number[] = [];
      for (let i = 0; i < 201; i += 1) statuses.push((await api(sb, '/groups', { token })).status);
      expect(statuses.slice(0, 200).every((s) => s === 200)).toBe(true);
      const last = await api(sb, '/groups', { token });
      expect(last.status).toBe(429);
      expect(last.body.message.error).toMatch(/requested too many times/);
      expect((await api(sb, '/projects?per_page=1', { token })).status).toBe(200);
    } finally {
      await sb.close();
    }
  });

  it('self-managed has no API throttle headers; off limits nothing', async () => {
    const sb = await startSandbox({ rateLimits: 'self-managed' });
    try {
      const res = await api(sb, '/user', { token: sb.users[0]!.token });
      expect(res.headers.get('ratelimit-limit')).toBeNull();
      expect((await api(sb, '/-/sandbox/rate-limits', { method: 'PUT', body: { profile: 'gitlab.com' } })).status).toBe(
        200,
      );
      expect((await api(sb, '/user', { token: sb.users[0]!.token })).headers.get('ratelimit-limit')).toBe('2000');
    } finally {
      await sb.close();
    }
  });
});
