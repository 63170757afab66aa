// The events issue #14 names are recorded and readable through GET /api/audit-events, with their source:
// membership, API tokens, GitLab instance and connection (connected, reconnect needed, disconnected),
// and a retired duplicate issue (recorded by a worker job).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/audit/index.ts';
import { markReconnectNeeded } from '../../src/gitlab/index.ts';
import type { GitlabClient, GitlabIssue } from '../../src/gitlab/index.ts';
import { defineTask, enqueue, Worker } from '../../src/jobs/index.ts';
import { findingMarker } from '../../src/tracking/index.ts';
import { retireDuplicate } from '../../src/tracking/retire-duplicate.ts';
import { authorizeViaOAuth, createGitlabHarness, type GitlabHarness, newTarget } from '../gitlab/support.ts';
import { DIALECTS } from '../support/databases.ts';
import { silentLogger } from '../support/silent-logger.ts';

type Event = {
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  source: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  actor: { userId: string } | null;
};

describe.each(DIALECTS)('audited events readable on %s', (dialect) => {
  let g: GitlabHarness;
  beforeAll(async () => {
    g = await createGitlabHarness(dialect);
  });
  afterAll(async () => g?.close());

  const events = async (query: string): Promise<Event[]> => {
    const response = await g.org.owner.get(`/api/audit-events?limit=200&${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().events;
  };

  it('membership: added, role changed, removed', async () => {
    const { members } = (await g.org.owner.get('/api/members')).json() as {
      members: { userId: string; role: string }[];
    };
    const reader = members.find((m) => m.role === 'reader')?.userId ?? '';
    expect((await events(`action=member.added&subjectId=${reader}`)).length).toBe(1);
    expect((await g.org.owner.patch(`/api/members/${reader}`, { role: 'contributor' })).statusCode).toBe(200);
    expect((await g.org.owner.delete(`/api/members/${reader}`)).statusCode).toBeLessThan(300);
    const log = await events(`action=member.&subjectType=user&subjectId=${reader}`);
    expect(log.map((e) => e.action)).toEqual(['member.removed', 'member.role_changed', 'member.added']);
    expect(log[1]).toMatchObject({ source: 'web', ip: '127.0.0.1', details: { from: 'reader', to: 'contributor' } });
  });

  it('API tokens: created and revoked', async () => {
    const created = await g.org.owner.post('/api/tokens', { name: 'audit-ci' });
    const tokenId = created.json().token.id;
    expect((await g.org.owner.delete(`/api/tokens/${tokenId}`)).statusCode).toBeLessThan(300);
    const log = await events(`action=api_token.&subjectId=${tokenId}`);
    expect(log.map((e) => e.action)).toEqual(['api_token.revoked', 'api_token.created']);
    expect(log[1]).toMatchObject({ source: 'web', details: { name: 'audit-ci' } });
  });

  it('GitLab: instance added, connected, reconnect needed, disconnected', async () => {
    expect(await events(`action=gitlab.instance_added&subjectId=${g.instanceId}`)).toEqual([
      expect.objectContaining({ source: 'web', subjectType: 'gitlab_instance' }),
    ]);
    const targetId = await newTarget(g.org.owner);
    expect((await authorizeViaOAuth(g.org.owner, targetId, g.instanceId)).location).toContain('gitlab=connected');
    const connection = await g.h.t.db.kysely
      .selectFrom('gitlab_connections')
      .select('id')
      .where('target_id', '=', targetId)
      .executeTakeFirstOrThrow();
    await markReconnectNeeded(g.h.t.db.kysely, connection.id, 'invalid_grant');
    expect((await g.org.owner.delete(`/api/targets/${targetId}/gitlab`)).statusCode).toBeLessThan(300);
    const log = await events(`action=gitlab.*&subjectType=target&subjectId=${targetId}`);
    expect(log.map((e) => e.action)).toEqual(['gitlab.disconnected', 'gitlab.reconnect_needed', 'gitlab.connected']);
    expect(log[2]).toMatchObject({ source: 'web', details: { gitlabUser: 'alice', kind: 'oauth' } });
    expect(log[1]).toMatchObject({ actor: null, details: { reason: 'invalid_grant' } });
  });

  it('a duplicate issue retired by a worker job, with the worker as its source', async () => {
    const calls: string[] = [];
    const client = {
      deleteIssue: async (_p: number, iid: number) => void calls.push(`delete ${iid}`),
    } as unknown as GitlabClient;
    const tracked = { id: 'tracked-1', organization_id: g.org.id, project_id: 7, iid: 1, public_id: 'VB-AUDITS000001' };
    const duplicate = {
      iid: 2,
      labels: ['Vulnbridge', 'VB-AUDITS000001'],
      author: { id: 42, username: 'alice' },
      description: `x ${findingMarker('VB-AUDITS000001')}`,
    } as GitlabIssue;
    const task = defineTask({
      name: 'audit-retire-probe',
      payload: { safeParse: (value: unknown) => ({ success: true as const, data: value }) } as never,
      perform: async (_payload: unknown, context) => {
        await retireDuplicate(context.db.kysely, client, 'Vulnbridge', tracked, duplicate, 42);
      },
    });
    await enqueue(g.h.t.db.kysely, { task: 'audit-retire-probe', payload: {}, organizationId: g.org.id });
    const worker = new Worker({ db: g.h.t.db, logger: silentLogger, tasks: [task], pollMs: 20 });
    worker.start();
    try {
      for (let i = 0; i < 200 && (await events('action=gitlab.duplicate_retired')).length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
    } finally {
      await worker.stop();
    }
    expect(calls).toEqual(['delete 2']);
    expect(await events('action=gitlab.duplicate_retired')).toEqual([
      expect.objectContaining({
        source: 'worker',
        ip: null,
        actor: null,
        subjectType: 'tracked_issue',
        subjectId: 'tracked-1',
        details: expect.objectContaining({ outcome: 'deleted', duplicateIid: 2 }),
      }),
    ]);
  });

  it('an event recorded outside any request, job or command has no source (and nothing made up)', async () => {
    await recordAudit(g.h.t.db.kysely, { organizationId: g.org.id, actorUserId: null, action: 'test.bare' });
    expect(await events('action=test.bare')).toEqual([
      expect.objectContaining({ source: null, ip: null, apiToken: null }),
    ]);
  });
});
