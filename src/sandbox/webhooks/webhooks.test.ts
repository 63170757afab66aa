import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc, startReceiver } from '../testing/helpers.ts';

let sb: Sandbox;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let tok: Record<string, string>;
let hookId: number;
const P = `/projects/${enc('acme/platform/security/webgoat')}`;

beforeAll(async () => {
  [sb, rx] = await Promise.all([startSandbox({ rateLimits: 'off', hookTimeoutMs: 300 }), startReceiver()]);
  tok = Object.fromEntries(sb.users.map((u) => [u.username, u.token]));
});
afterAll(async () => {
  await sb.close();
  await rx.close();
});
beforeEach(async () => {
  rx.deliveries.length = 0;
  rx.status.value = 200;
  rx.status.delayMs = 0;
  const res = await api(sb, `${P}/hooks`, {
    token: tok.alice,
    body: {
      url: rx.url,
      token: 's3cret',
      issues_events: true,
      note_events: true,
      confidential_issues_events: true,
      confidential_note_events: true,
      push_events: false,
    },
  });
  hookId = res.body.id;
});
afterEach(async () => {
  await sb.admin.idle();
  await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice, method: 'DELETE' });
});

const createIssue = async (body: Record<string, unknown>) =>
  (await api(sb, `${P}/issues`, { token: tok.alice, body })).body;

describe('project hooks API', () => {
  it('creates a hook (201) in the documented shape, never echoing the token', async () => {
    const res = await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: hookId,
      url: rx.url,
      issues_events: true,
      confidential_issues_events: true,
      note_events: true,
      confidential_note_events: true,
      push_events: false,
      merge_requests_events: false,
      enable_ssl_verification: true,
      alert_status: 'executable',
      disabled_until: null,
      custom_headers: [],
    });
    expect(res.body).not.toHaveProperty('token');
    expect(res.text).not.toContain('s3cret');
    const list = await api(sb, `${P}/hooks`, { token: tok.alice });
    expect(list.body.map((h: { id: number }) => h.id)).toContain(hookId);
  });

  it('needs Maintainer: a Developer gets 403, an outsider 404', async () => {
    expect((await api(sb, `${P}/hooks`, { token: tok.frank })).status).toBe(404);
    const dev = sb.admin.createToken('frank');
    sb.admin.setMember('frank', { project: 'acme/platform/security/webgoat' }, 30);
    expect((await api(sb, `${P}/hooks`, { token: dev })).status).toBe(403);
    expect((await api(sb, `${P}/hooks`, { token: dev, body: { url: rx.url } })).body).toEqual({
      message: '403 Forbidden',
    });
  });

  it('resets the token when the URL changes without a new token', async () => {
    await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice, method: 'PUT', body: { url: `${rx.url}?v=2` } });
    await createIssue({ title: 'after url change' });
    await sb.admin.idle();
    expect(rx.deliveries[0]!.headers['x-gitlab-token']).toBeUndefined();
  });
});

describe('Issue Hook and Note Hook deliveries', () => {
  it('delivers an Issue Hook with GitLab headers and payload; assignees omitted when empty', async () => {
    const issue = await createIssue({ title: 'hooked', labels: 'Vulnbridge' });
    await sb.admin.idle();
    expect(rx.deliveries).toHaveLength(1);
    const { headers, body } = rx.deliveries[0]!;
    expect(headers['x-gitlab-event']).toBe('Issue Hook');
    expect(headers['x-gitlab-token']).toBe('s3cret');
    expect(headers['x-gitlab-instance']).toBe(sb.url);
    expect(headers['user-agent']).toMatch(/^GitLab\/\d+\.\d+/);
    expect(headers['content-type']).toBe('application/json');
    for (const h of ['x-gitlab-event-uuid', 'x-gitlab-webhook-uuid', 'idempotency-key']) {
      expect(headers[h]).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(body.object_kind).toBe('issue');
    expect(body.event_type).toBe('issue');
    expect(body.user).toMatchObject({ username: 'alice', name: 'Alice Appsec', email: 'alice@example.com' });
    expect(body.project).toMatchObject({
      path_with_namespace: 'acme/platform/security/webgoat',
      visibility_level: 0,
      default_branch: 'main',
    });
    expect(body.object_attributes).toMatchObject({
      iid: issue.iid,
      id: issue.id,
      title: 'hooked',
      action: 'open',
      state: 'opened',
      state_id: 1,
      type: 'Issue',
      assignee_ids: [],
      assignee_id: null,
      confidential: false,
      url: issue.web_url,
    });
    expect(body.object_attributes.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    expect(body.labels[0]).toMatchObject({ title: 'Vulnbridge', type: 'ProjectLabel', template: false });
    expect(body).not.toHaveProperty('assignees');
    expect(body.changes.title).toEqual({ previous: null, current: 'hooked' });
  });

  it('sends assignees and changes on update, action close on state change', async () => {
    const issue = await createIssue({ title: 'to close' });
    const bob = sb.store.userByName('bob')!;
    await api(sb, `${P}/issues/${issue.iid}`, { token: tok.alice, method: 'PUT', body: { assignee_ids: [bob.id] } });
    await api(sb, `${P}/issues/${issue.iid}`, { token: tok.alice, method: 'PUT', body: { state_event: 'close' } });
    await sb.admin.idle();
    const [, assigned, closed] = rx.deliveries.map((d) => d.body);
    expect(assigned.object_attributes.action).toBe('update');
    expect(assigned.assignees.map((a: { username: string }) => a.username)).toEqual(['bob']);
    expect(assigned.changes.assignees.previous).toEqual([]);
    expect(assigned.changes.assignees.current[0].username).toBe('bob');
    expect(closed.object_attributes.action).toBe('close');
    await api(sb, `${P}/issues/${issue.iid}`, { token: tok.alice, method: 'PUT', body: { add_labels: 'triaged' } });
    await sb.admin.idle();
    const labelled = rx.deliveries[3]!.body;
    expect(labelled.changes.labels.previous).toEqual([]);
    expect(labelled.changes.labels.current.map((l: { title: string }) => l.title)).toEqual(['triaged']);
    expect(labelled.changes.updated_at.current).toMatch(/ UTC$/);
    expect(labelled.changes).not.toHaveProperty('title');
    expect(closed.changes.state_id).toEqual({ previous: 1, current: 2 });
  });

  it('delivers a Note Hook with the issue snapshot, but none for system notes', async () => {
    const issue = await createIssue({ title: 'noted' });
    await sb.admin.idle();
    rx.deliveries.length = 0;
    const note = (await api(sb, `${P}/issues/${issue.iid}/notes`, { token: tok.bob, body: { body: 'hello' } })).body;
    await api(sb, `${P}/issues/${issue.iid}`, { token: tok.alice, method: 'PUT', body: { title: 'renamed' } });
    await sb.admin.idle();
    const events = rx.deliveries.map((d) => d.headers['x-gitlab-event']);
    expect(events).toEqual(['Note Hook', 'Issue Hook']);
    const body = rx.deliveries[0]!.body;
    expect(body).toMatchObject({ object_kind: 'note', event_type: 'note', user: { username: 'bob' } });
    expect(body.object_attributes).toMatchObject({
      id: note.id,
      note: 'hello',
      noteable_type: 'Issue',
      noteable_id: issue.id,
      system: false,
      action: 'create',
      internal: false,
    });
    expect(body.object_attributes.url).toBe(`${issue.web_url}#note_${note.id}`);
    expect(body.issue).toMatchObject({ iid: issue.iid, title: 'noted', state: 'opened' });
  });

  it('sends confidential_issue / confidential_note only to hooks that asked for them', async () => {
    const plain = await api(sb, `${P}/hooks`, {
      token: tok.alice,
      body: { url: `${rx.url}?plain=1`, issues_events: true, note_events: true },
    });
    const issue = await createIssue({ title: 'secret', confidential: true });
    await api(sb, `${P}/issues/${issue.iid}/notes`, { token: tok.alice, body: { body: 'on a confidential issue' } });
    const open = await createIssue({ title: 'open' });
    await api(sb, `${P}/issues/${open.iid}/notes`, { token: tok.alice, body: { body: 'internal', internal: true } });
    await sb.admin.idle();
    const toPlain = rx.deliveries.filter(
      (d) => d.headers['x-gitlab-webhook-uuid'] !== rx.deliveries[0]!.headers['x-gitlab-webhook-uuid'],
    );
    const all = rx.deliveries.filter((d) => !toPlain.includes(d));
    expect(all.map((d) => d.body.event_type)).toEqual([
      'confidential_issue',
      'confidential_note',
      'issue',
      'confidential_note',
    ]);
    expect(all.map((d) => d.headers['x-gitlab-event'])).toEqual([
      'Confidential Issue Hook',
      'Confidential Note Hook',
      'Issue Hook',
      'Confidential Note Hook',
    ]);
    expect(toPlain.map((d) => d.body.event_type)).toEqual(['issue']);
    await api(sb, `${P}/hooks/${plain.body.id}`, { token: tok.alice, method: 'DELETE' });
  });
});

describe('failures, auto-disabling, resend', () => {
  it('disables a hook for 1 minute after 4 consecutive failures, doubling the back-off', async () => {
    rx.status.value = 500;
    for (let i = 0; i < 4; i += 1) {
      await createIssue({ title: `fail ${i}` });
      await sb.admin.idle();
    }
    let hook = (await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice })).body;
    expect(hook.alert_status).toBe('temporarily_disabled');
    const until = Date.parse(hook.disabled_until) - sb.store.now();
    expect(until).toBeGreaterThan(55_000);
    expect(until).toBeLessThanOrEqual(60_000);
    await createIssue({ title: 'dropped while disabled' });
    await sb.admin.idle();
    expect(rx.deliveries).toHaveLength(4);
    sb.admin.advanceClock(61_000);
    await createIssue({ title: 'fails again' });
    await sb.admin.idle();
    hook = (await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice })).body;
    expect(Date.parse(hook.disabled_until) - sb.store.now()).toBeGreaterThan(115_000);
    sb.admin.advanceClock(121_000);
    rx.status.value = 200;
    await createIssue({ title: 'recovers' });
    await sb.admin.idle();
    hook = (await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice })).body;
    expect(hook.alert_status).toBe('executable');
  });

  it('disables a hook permanently after 40 consecutive failures', async () => {
    const hook = sb.store.data.hooks.find((h) => h.id === hookId)!;
    hook.recentFailures = 39;
    rx.status.value = 404;
    await createIssue({ title: 'the 40th' });
    await sb.admin.idle();
    expect((await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice })).body.alert_status).toBe('disabled');
  });

  it('counts a receiver slower than the timeout as a failure', async () => {
    rx.status.delayMs = 1_000;
    await createIssue({ title: 'slow' });
    await sb.admin.idle();
    const events = await api(sb, `${P}/hooks/${hookId}/events`, { token: tok.alice });
    expect(events.body[0].response_status).toBe('internal error');
    expect(events.body[0].response_body).toBe('Net::ReadTimeout');
    expect(sb.store.data.hooks.find((h) => h.id === hookId)!.recentFailures).toBe(1);
  });

  it('lists hook events and resends one keeping its Idempotency-Key', async () => {
    rx.status.value = 502;
    await createIssue({ title: 'resend me' });
    await sb.admin.idle();
    const events = await api(sb, `${P}/hooks/${hookId}/events?status=server_failure`, { token: tok.alice });
    expect(events.status).toBe(200);
    const ev = events.body[0];
    expect(ev).toMatchObject({ trigger: 'issue_hooks', response_status: '502', url: rx.url });
    expect(ev.request_headers['X-Gitlab-Token']).toBe('[REDACTED]');
    rx.status.value = 200;
    const res = await api(sb, `${P}/hooks/${hookId}/events/${ev.id}/resend`, { token: tok.alice, method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ response_status: 200 });
    const [first, second] = rx.deliveries;
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(second!.body).toEqual(first!.body);
  });

  it('tests a hook (201 {"message":"201 Created"}) and re-enables it on success', async () => {
    await createIssue({ title: 'for the test payload' });
    await sb.admin.idle();
    sb.admin.disableHook(hookId, 'permanent');
    const res = await api(sb, `${P}/hooks/${hookId}/test/issues_events`, { token: tok.alice, method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ message: '201 Created' });
    expect((await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice })).body.alert_status).toBe('executable');
    rx.status.value = 500;
    const failed = await api(sb, `${P}/hooks/${hookId}/test/issues_events`, { token: tok.alice, method: 'POST' });
    expect(failed.status).toBe(422);
  });

  it('disables a hook from the admin API', async () => {
    const res = await api(sb, `/-/sandbox/hooks/${hookId}/disable`, { body: { mode: 'temporary' } });
    expect(res.status).toBe(200);
    expect((await api(sb, `${P}/hooks/${hookId}`, { token: tok.alice })).body.alert_status).toBe(
      'temporarily_disabled',
    );
  });
});
