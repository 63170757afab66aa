// GET /api/events over a real socket: a change to the organization's comments or tracked issues
// arrives as `event: change` within a couple of seconds; another organization's changes never do;
// the stream is refused without a session, keeps the security headers, and stops polling on close.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrgChanges } from '../../src/http/events/org-changes.ts';
import { importReport } from '../../src/imports/index.ts';
import { createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

const report = readFileSync(new URL('../fixtures/reports/zap-anubissbe-1.json', import.meta.url));

interface ServerEvent {
  event: string;
  data: string;
}

/** An open event stream: parsed events as they arrive, and a way to wait for one. */
async function openStream(url: string, cookie: string) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  const events: ServerEvent[] = [];
  const comments: string[] = [];
  const waiters: (() => void)[] = [];
  const pump = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: ServerEvent = { event: 'message', data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event:')) [event.event, isEvent] = [line.slice(6).trim(), true];
            else if (line.startsWith('data:')) [event.data, isEvent] = [line.slice(5).trim(), true];
          }
          if (isEvent) events.push(event);
          for (const wake of waiters.splice(0)) wake();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  const waitFor = async (predicate: (e: ServerEvent) => boolean, ms: number): Promise<ServerEvent | null> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const close = async () => {
    controller.abort();
    await pump;
  };
  return { response, events, comments, waitFor, close };
}

const kindsOf = (e: ServerEvent): string[] => (JSON.parse(e.data) as { kinds: string[] }).kinds;

describe.each(DIALECTS)('GET /api/events on %s', (dialect) => {
  let h: TestApp;
  let a: Org;
  let b: Org;
  let base = '';
  const seeded: Record<string, { targetId: string; identityId: string; publicId: string }> = {};

  async function seed(org: Org) {
    const target = await org.owner.post('/api/targets', { name: 'Shop', baseUrl: `https://shop-${org.id}.example` });
    const targetId = target.json().target.id as string;
    await importReport(h.t.db, {
      organizationId: org.id,
      actorUserId: null,
      target: { id: targetId },
      file: { bytes: report, name: 'zap.json' },
    });
    const identity = await h.t.db.kysely
      .selectFrom('finding_identities')
      .select(['id', 'public_id'])
      .where('target_id', '=', targetId)
      .executeTakeFirstOrThrow();
    seeded[org.id] = { targetId, identityId: identity.id, publicId: identity.public_id };
  }

  async function insertTrackedIssue(org: Org): Promise<string> {
    const s = seeded[org.id]!;
    const id = randomUUID();
    const now = new Date().toISOString();
    await h.t.db.kysely
      .insertInto('tracked_issues')
      .values({
        id,
        organization_id: org.id,
        target_id: s.targetId,
        identity_id: s.identityId,
        public_id: s.publicId,
        base_url: 'https://gitlab.example',
        project_id: 1,
        project_path: 'acme/shop',
        issue_id: 10,
        iid: 1,
        web_url: 'https://gitlab.example/acme/shop/-/issues/1',
        title: 't',
        state: 'opened',
        assignees: '[]',
        labels: '[]',
        confidential: 0,
        origin: 'created',
        reserved_by: null,
        create_attempted_at: null,
        gitlab_updated_at: null,
        synced_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  async function insertComment(org: Org, trackedIssueId: string) {
    const now = new Date().toISOString();
    await h.t.db.kysely
      .insertInto('comments')
      .values({
        id: randomUUID(),
        organization_id: org.id,
        tracked_issue_id: trackedIssueId,
        source: 'gitlab',
        author_user_id: null,
        author_name: 'Bob',
        author_username: 'bob',
        author_avatar_url: null,
        body: 'hello',
        internal: 0,
        gitlab_note_id: Math.floor(Math.random() * 1e9),
        outbound_state: null,
        error: null,
        gitlab_created_at: now,
        gitlab_updated_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  beforeAll(async () => {
    h = await createTestApp(dialect);
    a = await createOrg(h.app, h.t);
    b = await createOrg(h.app, h.t);
    await seed(a);
    await seed(b);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => h?.close());

  it('refuses a caller without a session', async () => {
    const response = await fetch(`${base}/api/events`);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthenticated');
  });

  it('streams changes to the organization’s tracked issues and comments, and none of another organization’s', async () => {
    const stream = await openStream(`${base}/api/events`, a.members.reader.cookie);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.response.headers.get('cache-control')).toContain('no-cache');
      expect(stream.response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(stream.response.headers.get('content-security-policy')).toContain("default-src 'self'");
      await new Promise((resolve) => setTimeout(resolve, 300));

      // Organization B changes: nothing for A.
      const otherIssue = await insertTrackedIssue(b);
      await insertComment(b, otherIssue);
      expect(await stream.waitFor(() => true, 2500)).toBeNull();

      const issue = await insertTrackedIssue(a);
      const issueEvent = await stream.waitFor((e) => e.event === 'change' && kindsOf(e).includes('issues'), 4000);
      expect(issueEvent).not.toBeNull();

      const before = stream.events.length;
      await insertComment(a, issue);
      const commentEvent = await stream.waitFor(
        (e) => stream.events.indexOf(e) >= before && kindsOf(e).includes('comments'),
        4000,
      );
      expect(commentEvent).not.toBeNull();
      expect(kindsOf(commentEvent!)).toEqual(['comments']);

      // More of B's changes while A listens: still nothing for A.
      const count = stream.events.length;
      await insertComment(b, otherIssue);
      await h.t.db.kysely
        .updateTable('tracked_issues')
        .set({ state: 'closed', updated_at: new Date(Date.now() + 1000).toISOString() })
        .where('id', '=', otherIssue)
        .execute();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(stream.events.slice(count)).toEqual([]);
    } finally {
      await stream.close();
    }
  });

  it('tells a stream of B about B’s changes, and sees an edit (same count, later time)', async () => {
    const stream = await openStream(`${base}/api/events`, b.members.contributor.cookie);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await h.t.db.kysely
        .updateTable('comments')
        .set({ body: 'edited', updated_at: new Date(Date.now() + 5000).toISOString() })
        .where('organization_id', '=', b.id)
        .execute();
      const event = await stream.waitFor((e) => e.event === 'change', 4000);
      expect(event && kindsOf(event)).toEqual(['comments']);
    } finally {
      await stream.close();
    }
  });

  it('ends a stream with its session: after sign-out (or a switch of organization) nothing more arrives (issue #14)', async () => {
    const client = a.members.contributor;
    const tracked = await h.t.db.kysely
      .selectFrom('tracked_issues')
      .select('id')
      .where('organization_id', '=', a.id)
      .executeTakeFirst();
    const issueId = tracked?.id ?? (await insertTrackedIssue(a));
    const stream = await openStream(`${base}/api/events`, client.cookie);
    try {
      expect(stream.response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await client.post('/api/auth/sign-out')).statusCode).toBe(204);
      await insertComment(a, issueId);
      expect(await stream.waitFor((e) => e.event === 'change', 4000)).toBeNull();
    } finally {
      await stream.close();
    }
  });

  it('stops polling when the last client disconnects', async () => {
    const changes = createOrgChanges(h.t.db, { intervalMs: 50 });
    const leaveOne = await changes.subscribe(a.id, () => {});
    const leaveTwo = await changes.subscribe(a.id, () => {});
    expect(changes.watched()).toEqual([a.id]);
    leaveOne();
    expect(changes.watched()).toEqual([a.id]);
    leaveTwo();
    expect(changes.watched()).toEqual([]);

    // The server lets go of a stream whose client went away (its own socket, not a pooled one).
    const accepted: Socket[] = [];
    const onConnection = (socket: Socket) => accepted.push(socket);
    h.app.server.on('connection', onConnection);
    const request = httpGet(`${base}/api/events`, { agent: false, headers: { cookie: a.members.owner.cookie } });
    const response = await new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
    h.app.server.off('connection', onConnection);
    expect(response.statusCode).toBe(200);
    // The server side of this very request: its remote port is the client socket's local port.
    const socket = accepted.find((s) => s.remotePort === request.socket?.localPort);
    expect(socket).toBeDefined();
    const serverClosed = new Promise<boolean>((resolve) => {
      if (socket?.destroyed) return resolve(true);
      socket?.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    request.destroy();
    expect(await serverClosed).toBe(true);
    // Left open on purpose: closing the app ends it rather than waiting for the client.
    const again = await openStream(`${base}/api/events`, a.members.owner.cookie);
    expect(again.response.status).toBe(200);
  });
});
