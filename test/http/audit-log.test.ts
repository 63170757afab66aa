// The readable audit log: GET /api/audit-events (filters, keyset pages), its CSV export, tenancy and
// roles, and where an event came from (address, user agent, API token) for session and token requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/index.ts';
import { type Client, createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

interface Seed {
  id: string;
  action: string;
  actor: string | null;
  at: string;
  subjectType?: string;
  subjectId?: string;
}

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let h: TestApp;
  let a: Org;
  let b: Org;
  let c: Org;
  const users: Record<string, { id: string; email: string }> = {};

  async function memberOf(org: Org, role: string) {
    const { members } = (await org.owner.get('/api/members')).json() as {
      members: { userId: string; email: string; role: string }[];
    };
    const found = members.find((m) => m.role === role);
    if (!found) throw new Error(`no ${role}`);
    return { id: found.userId, email: found.email };
  }

  const seeds: Seed[] = [];
  async function seed(
    org: Org,
    s: Omit<Seed, 'id'> & { details?: Record<string, unknown>; ip?: string; userAgent?: string; tokenName?: string },
  ) {
    const id = newId();
    await h.t.db.kysely
      .insertInto('audit_events')
      .values({
        id,
        organization_id: org.id,
        actor_user_id: s.actor,
        action: s.action,
        subject_type: s.subjectType ?? null,
        subject_id: s.subjectId ?? null,
        details: JSON.stringify(s.details ?? {}),
        created_at: s.at,
        source: 'web',
        ip: s.ip ?? '192.0.2.1',
        user_agent: s.userAgent ?? 'Seed/1.0',
        api_token_id: s.tokenName ? 'tok' : null,
        api_token_name: s.tokenName ?? null,
      })
      .execute();
    return id;
  }

  const list = async (client: Client, query: string) => {
    const response = await client.get(`/api/audit-events?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      events: {
        id: string;
        action: string;
        createdAt: string;
        actor: { userId: string; email: string } | null;
        apiToken: { id: string; name: string } | null;
        source: string | null;
        ip: string | null;
        userAgent: string | null;
        subjectId: string | null;
      }[];
      nextCursor: string | null;
      prevCursor: string | null;
    };
  };
  const idsOf = async (client: Client, query: string) => (await list(client, query)).events.map((e) => e.id);

  beforeAll(async () => {
    h = await createTestApp(dialect);
    a = await createOrg(h.app, h.t);
    b = await createOrg(h.app, h.t);
    c = await createOrg(h.app, h.t);
    users.cOwner = await memberOf(c, 'owner');
    users.cAdmin = await memberOf(c, 'administrator');
    users.bOwner = await memberOf(b, 'owner');
    // Organization C: a known set of events, two of them at the same instant (the keyset tie-break).
    const plan: Omit<Seed, 'id'>[] = [
      {
        action: 'member.added',
        actor: users.cOwner.id,
        at: '2026-01-01T10:00:00.000Z',
        subjectType: 'user',
        subjectId: 'u-1',
      },
      {
        action: 'member.role_changed',
        actor: users.cOwner.id,
        at: '2026-01-02T10:00:00.000Z',
        subjectType: 'user',
        subjectId: 'u-1',
      },
      {
        action: 'member.removed',
        actor: users.cAdmin.id,
        at: '2026-01-03T10:00:00.000Z',
        subjectType: 'user',
        subjectId: 'u-2',
      },
      {
        action: 'api_token.created',
        actor: users.cAdmin.id,
        at: '2026-01-03T10:00:00.000Z',
        subjectType: 'api_token',
        subjectId: 't-1',
      },
      {
        action: 'apixtoken.created',
        actor: users.cAdmin.id,
        at: '2026-01-04T23:59:59.999Z',
        subjectType: 'api_token',
        subjectId: 't-2',
      },
      {
        action: 'gitlab.connected',
        actor: users.cOwner.id,
        at: '2026-01-05T00:00:00.000Z',
        subjectType: 'target',
        subjectId: 'tg-1',
      },
      {
        action: 'gitlab.duplicate_retired',
        actor: null,
        at: '2026-01-06T08:00:00.000Z',
        subjectType: 'tracked_issue',
        subjectId: 'ti-1',
      },
    ];
    for (const p of plan) seeds.push({ ...p, id: await seed(c, p) });
    // Organization B: events of its own, aimed at the same subject ids.
    await seed(b, {
      action: 'member.added',
      actor: users.bOwner.id,
      at: '2026-01-02T12:00:00.000Z',
      subjectType: 'user',
      subjectId: 'u-1',
    });
    await b.owner.post('/api/targets', { name: 'B shop', baseUrl: 'https://b.example' });
  });
  afterAll(async () => h?.close());

  /** C's seeded events (the ones in January 2026) newest first, as the log orders them. */
  const expected = (keep: (s: Seed) => boolean = () => true) =>
    seeds
      .filter(keep)
      .sort((x, y) => (x.at === y.at ? (x.id < y.id ? 1 : -1) : x.at < y.at ? 1 : -1))
      .map((s) => s.id);
  const january = 'from=2026-01-01&to=2026-01-31';

  it('lists newest first and filters by actor id or e-mail', async () => {
    expect(await idsOf(c.owner, january)).toEqual(expected());
    expect(await idsOf(c.owner, `${january}&actor=${users.cAdmin?.id}`)).toEqual(
      expected((s) => s.actor === users.cAdmin?.id),
    );
    expect(
      await idsOf(c.owner, `${january}&actor=${encodeURIComponent(users.cOwner?.email.toUpperCase() ?? '')}`),
    ).toEqual(expected((s) => s.actor === users.cOwner?.id));
    const first = (await list(c.owner, `${january}&actor=${users.cOwner?.id}`)).events[0];
    expect(first?.actor).toMatchObject({ userId: users.cOwner?.id, email: users.cOwner?.email });
  });

  it('filters by exact action and by prefix (`member.`, `gitlab.*`), with no wildcard in the prefix', async () => {
    expect(await idsOf(c.owner, `${january}&action=member.removed`)).toEqual(
      expected((s) => s.action === 'member.removed'),
    );
    expect(await idsOf(c.owner, `${january}&action=member.`)).toEqual(expected((s) => s.action.startsWith('member.')));
    expect(await idsOf(c.owner, `${january}&action=gitlab.*`)).toEqual(expected((s) => s.action.startsWith('gitlab.')));
    // `_` is a LIKE wildcard: the prefix must match it literally.
    expect(await idsOf(c.owner, `${january}&action=api_token.`)).toEqual(
      expected((s) => s.action === 'api_token.created'),
    );
    expect(await idsOf(c.owner, `${january}&action=member`)).toEqual([]);
  });

  it('filters by subject type and id', async () => {
    expect(await idsOf(c.owner, `${january}&subjectType=user&subjectId=u-1`)).toEqual(
      expected((s) => s.subjectId === 'u-1'),
    );
    expect(await idsOf(c.owner, `${january}&subjectType=api_token`)).toEqual(
      expected((s) => s.subjectType === 'api_token'),
    );
  });

  it('filters by date range: days are whole days, instants are inclusive', async () => {
    expect(await idsOf(c.owner, 'from=2026-01-03&to=2026-01-04')).toEqual(
      expected((s) => s.at >= '2026-01-03' && s.at < '2026-01-05'),
    );
    expect(await idsOf(c.owner, 'from=2026-01-05T00:00:00.000Z&to=2026-01-06T08:00:00.000Z')).toEqual(
      expected((s) => s.at >= '2026-01-05'),
    );
    expect(await idsOf(c.owner, 'to=2025-12-31')).toEqual([]);
    expect((await c.owner.get('/api/audit-events?from=yesterday')).statusCode).toBe(400);
  });

  it('pages with keyset cursors forwards and back, ties included, and refuses a forged cursor', async () => {
    const all = expected();
    const forward: string[][] = [];
    let page = await list(c.owner, `${january}&limit=2`);
    expect(page.prevCursor).toBeNull();
    forward.push(page.events.map((e) => e.id));
    while (page.nextCursor) {
      page = await list(c.owner, `${january}&limit=2&after=${page.nextCursor}`);
      expect(page.prevCursor).not.toBeNull();
      forward.push(page.events.map((e) => e.id));
    }
    expect(forward.flat()).toEqual(all);
    expect(forward.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    // Back from the last page to the first.
    const backward: string[][] = [forward.at(-1) ?? []];
    while (page.prevCursor) {
      page = await list(c.owner, `${january}&limit=2&before=${page.prevCursor}`);
      backward.unshift(page.events.map((e) => e.id));
    }
    expect(backward).toEqual(forward);
    // A filter holds across pages.
    const members = await list(c.owner, `${january}&action=member.&limit=2`);
    const rest = await list(c.owner, `${january}&action=member.&limit=2&after=${members.nextCursor}`);
    expect([...members.events, ...rest.events].map((e) => e.id)).toEqual(
      expected((s) => s.action.startsWith('member.')),
    );
    expect(rest.nextCursor).toBeNull();
    expect((await c.owner.get('/api/audit-events?after=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });

  it('shows an organization only its own events, whatever ids are asked for', async () => {
    const bIds = (await list(b.owner, 'limit=200')).events.map((e) => e.id);
    expect(bIds.length).toBeGreaterThan(0);
    for (const role of ['owner', 'administrator'] as const) {
      const mine = await list(c.members[role], 'limit=200');
      expect(mine.events.some((e) => bIds.includes(e.id))).toBe(false);
      expect(await idsOf(c.members[role], `actor=${users.bOwner?.id}`)).toEqual([]);
      expect(await idsOf(c.members[role], `actor=${encodeURIComponent(users.bOwner?.email ?? '')}`)).toEqual([]);
      const csv = await c.members[role].get(`/api/audit-events.csv?actor=${users.bOwner?.id}`);
      expect(csv.body.trim().split('\r\n')).toHaveLength(1);
    }
    // The same subject id in both: each sees only its own.
    expect(await idsOf(c.owner, 'subjectId=u-1')).toEqual(expected((s) => s.subjectId === 'u-1'));
    expect((await list(b.owner, 'subjectId=u-1')).events).toHaveLength(1);
  });

  it('refuses Contributors and Readers (403), on the list and the CSV', async () => {
    for (const role of ['contributor', 'reader'] as const) {
      for (const url of ['/api/audit-events', '/api/audit-events.csv', `/api/audit-events?actor=${users.cOwner?.id}`]) {
        const response = await c.members[role].get(url);
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.body).not.toContain('member.added');
      }
    }
  });

  it('records address, user agent and source of a session request', async () => {
    const created = await a.owner.request(
      'POST',
      '/api/targets',
      { name: 'Shop', baseUrl: 'https://shop.example' },
      { 'user-agent': 'AuditBrowser/1.0 (test)' },
    );
    expect(created.statusCode).toBe(201);
    const { events } = await list(a.owner, `action=target.created&subjectId=${created.json().target.id}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'web',
      ip: '127.0.0.1',
      userAgent: 'AuditBrowser/1.0 (test)',
      apiToken: null,
      actor: { email: expect.stringMatching(/^owner-/) },
    });
  });

  it('records the API token id and name, address and user agent of a token request', async () => {
    const token = await a.owner.post('/api/tokens', { name: 'ci-pipeline', scopes: ['write'] });
    expect(token.statusCode, token.body).toBe(201);
    const { id: tokenId } = token.json().token;
    const bot = new (a.owner.constructor as new (app: TestApp['app']) => Client)(h.app);
    bot.bearer = token.json().secret;
    const created = await bot.request(
      'POST',
      '/api/targets',
      { name: 'From CI', baseUrl: 'https://ci.example' },
      { 'user-agent': 'curl/8.5.0' },
    );
    expect(created.statusCode, created.body).toBe(201);
    const { events } = await list(a.owner, `action=target.created&subjectId=${created.json().target.id}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'api',
      ip: '127.0.0.1',
      userAgent: 'curl/8.5.0',
      apiToken: { id: tokenId, name: 'ci-pipeline' },
      actor: { email: expect.stringMatching(/^owner-/) },
    });
    // The token's own creation was a session request.
    const [createdEvent] = (await list(a.owner, `action=api_token.created&subjectId=${tokenId}`)).events;
    expect(createdEvent).toMatchObject({ source: 'web', apiToken: null });
    // The token can read the log too (an Owner's token, read scope included in write).
    expect((await bot.get('/api/audit-events')).statusCode).toBe(200);
  });

  it('exports CSV with the filters, quoted properly and safe from formula injection', async () => {
    await seed(c, {
      action: 'csv.test',
      actor: users.cOwner?.id ?? null,
      at: '2026-02-01T00:00:00.000Z',
      subjectType: '=HYPERLINK("http://evil.example","x")',
      subjectId: '+1+1',
      ip: '-2+3',
      userAgent: '@SUM(A1:A2)',
      tokenName: '\tcmd',
      details: { note: 'a "quoted", multi\nline value' },
    });
    await seed(c, { action: 'csv.test', actor: null, at: '2026-02-02T00:00:00.000Z', subjectId: '\r=1+1' });
    const response = await c.owner.get('/api/audit-events.csv?action=csv.test&from=2026-02-01&to=2026-02-01');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const body = response.body;
    expect(
      body.startsWith(
        'time,actor_email,actor_name,actor_user_id,api_token_name,api_token_id,source,ip,user_agent,action,subject_type,subject_id,details\r\n',
      ),
    ).toBe(true);
    const row = body.split('\r\n')[1] ?? '';
    expect(row).toContain('2026-02-01T00:00:00.000Z');
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(row).toContain(",'+1+1,");
    expect(row).toContain(",'-2+3,");
    expect(row).toContain(",'@SUM(A1:A2),");
    expect(row).toContain(`,"'\tcmd",`);
    expect(body).toContain('"{""note"":""a \\""quoted\\"", multi\\nline value""}"');
    expect(row).toContain(users.cOwner?.email ?? 'missing');
    expect(body).not.toContain('2026-02-02');
    expect(body.trim().split('\r\n')).toHaveLength(2);
    // A cell starting with a carriage return is prefixed too, and quoted (it holds a line break).
    const second = await c.owner.get('/api/audit-events.csv?action=csv.test&from=2026-02-02');
    expect(second.body).toContain(`"'\r=1+1"`);
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/audit-events', '/api/audit-events.csv']));
    const parameters = (doc.paths['/api/audit-events'].get.parameters as { name: string }[]).map((p) => p.name);
    expect(parameters).toEqual(
      expect.arrayContaining(['actor', 'action', 'subjectType', 'subjectId', 'from', 'to', 'after', 'before', 'limit']),
    );
  });
});
