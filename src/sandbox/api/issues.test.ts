import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc } from '../testing/helpers.ts';

let sb: Sandbox;
let tok: Record<string, string>;
const P = `/projects/${enc('acme/platform/security/juice-shop')}`;

beforeAll(async () => {
  sb = await startSandbox({ rateLimits: 'off' });
  tok = Object.fromEntries(sb.users.map((u) => [u.username, u.token]));
});
afterAll(() => sb.close());

const create = (body: Record<string, unknown>, who = 'alice') => api(sb, `${P}/issues`, { token: tok[who], body });
const edit = (iid: number, body: Record<string, unknown>, who = 'alice') =>
  api(sb, `${P}/issues/${iid}`, { token: tok[who], method: 'PUT', body });

describe('create an issue', () => {
  it('answers 201 with the Issue entity, field by field', async () => {
    const bob = sb.store.userByName('bob')!;
    const res = await create({
      title: 'SQL injection in /login',
      description: 'Evidence',
      labels: 'Vulnbridge,VB-MDWSAU027854',
      assignee_ids: [bob.id],
      due_date: '2030-01-31',
    });
    expect(res.status).toBe(201);
    const i = res.body;
    expect(i).toMatchObject({
      title: 'SQL injection in /login',
      description: 'Evidence',
      state: 'opened',
      closed_at: null,
      closed_by: null,
      labels: ['VB-MDWSAU027854', 'Vulnbridge'], // sorted by title, as GitLab does
      milestone: null,
      type: 'ISSUE',
      issue_type: 'issue',
      confidential: false,
      due_date: '2030-01-31',
      user_notes_count: 0,
      upvotes: 0,
      downvotes: 0,
      merge_requests_count: 0,
      discussion_locked: null,
      severity: 'UNKNOWN',
    });
    expect(i.iid).toBeGreaterThan(2);
    expect(i.project_id).toBe(sb.admin.project('acme/platform/security/juice-shop')!.id);
    expect(i.author).toMatchObject({ username: 'alice', state: 'active' });
    expect(i.assignees.map((a: { username: string }) => a.username)).toEqual(['bob']);
    expect(i.assignee.username).toBe('bob');
    expect(i.web_url).toBe(`${sb.url}/acme/platform/security/juice-shop/-/issues/${i.iid}`);
    expect(i.references).toEqual({
      short: `#${i.iid}`,
      relative: `#${i.iid}`,
      full: `acme/platform/security/juice-shop#${i.iid}`,
    });
    expect(i._links.self).toBe(`${sb.url}/api/v4/projects/${i.project_id}/issues/${i.iid}`);
    expect(i.time_stats).toEqual({
      time_estimate: 0,
      total_time_spent: 0,
      human_time_estimate: null,
      human_total_time_spent: null,
    });
    expect(new Date(i.created_at).toISOString()).toBe(i.created_at);
    // Unknown labels were created as project labels.
    const labels = await api(sb, `${P}/labels?per_page=100`, { token: tok.alice });
    expect(labels.body.map((l: { name: string }) => l.name)).toEqual(
      expect.arrayContaining(['Vulnbridge', 'VB-MDWSAU027854']),
    );
  });

  it('keeps one assignee on Free', async () => {
    const ids = ['bob', 'carol'].map((u) => sb.store.userByName(u)!.id);
    const res = await create({ title: 'two assignees', assignee_ids: ids });
    expect(res.body.assignees).toHaveLength(1);
  });

  it('silently drops a Guest’s metadata', async () => {
    const res = await create(
      { title: 'from a guest', labels: 'Vulnbridge', assignee_ids: [1], due_date: '2030-01-01' },
      'dave',
    );
    expect(res.status).toBe(201);
    expect(res.body.labels).toEqual([]);
    expect(res.body.assignees).toEqual([]);
    expect(res.body.due_date).toBeNull();
  });

  it('answers {"error":"title is missing"} and length validation in the {"message":{...}} form', async () => {
    const missing = await create({ description: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'title is missing' });
    const long = await create({ title: 'x'.repeat(256) });
    expect(long.status).toBe(400);
    expect(long.body).toEqual({ message: { title: ['is too long (maximum is 255 characters)'] } });
    const desc = await create({ title: 'ok', description: 'x'.repeat(1_048_577) });
    expect(desc.body).toEqual({ message: { description: ['is too long (maximum is 1048576 characters)'] } });
    expect((await create({ title: 'x'.repeat(255) })).status).toBe(201);
  });

  it('accepts form-encoded bodies with array parameters', async () => {
    const res = await api(sb, `${P}/issues`, {
      token: tok.alice,
      form: { title: 'form', 'assignee_ids[]': String(sb.store.userByName('carol')!.id), labels: 'a,b' },
    });
    expect(res.status).toBe(201);
    expect(res.body.assignees[0].username).toBe('carol');
    expect(res.body.labels).toEqual(['a', 'b']);
  });
});

describe('edit an issue', () => {
  it('adds and removes labels without touching the others, and clears them with labels=""', async () => {
    const { iid } = (await create({ title: 'labels', labels: 'mine,Vulnbridge' })).body;
    const added = await edit(iid, { add_labels: 'VB-AAAAAA000001' });
    expect(added.body.labels.sort()).toEqual(['VB-AAAAAA000001', 'Vulnbridge', 'mine'].sort());
    const removed = await edit(iid, { remove_labels: 'Vulnbridge' });
    expect(removed.body.labels.sort()).toEqual(['VB-AAAAAA000001', 'mine']);
    const cleared = await edit(iid, { labels: '' });
    expect(cleared.body.labels).toEqual([]);
  });

  it('closes and reopens with state_event, recording closed_at and closed_by', async () => {
    const { iid } = (await create({ title: 'state' })).body;
    const closed = await edit(iid, { state_event: 'close' });
    expect(closed.body.state).toBe('closed');
    expect(closed.body.closed_by.username).toBe('alice');
    expect(closed.body.closed_at).not.toBeNull();
    const reopened = await edit(iid, { state_event: 'reopen' });
    expect(reopened.body.state).toBe('opened');
    expect(reopened.body.closed_at).toBeNull();
    const bad = await edit(iid, { state_event: 'explode' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'state_event does not have a valid value' });
  });

  it('sets and clears assignees, milestone, due date and confidentiality', async () => {
    const { iid } = (await create({ title: 'meta' })).body;
    const ms = sb.store.data.milestones.find((m) => m.title === 'v1.1')!;
    const set = await edit(iid, {
      assignee_ids: [sb.store.userByName('erin')!.id],
      milestone_id: ms.id,
      due_date: '2031-12-24',
      confidential: true,
    });
    expect(set.body.assignees.map((a: { username: string }) => a.username)).toEqual(['erin']);
    expect(set.body.milestone).toMatchObject({ id: ms.id, title: 'v1.1', state: 'active' });
    expect(set.body.due_date).toBe('2031-12-24');
    expect(set.body.confidential).toBe(true);
    const cleared = await edit(iid, { assignee_ids: [0], milestone_id: 0, due_date: '' });
    expect(cleared.body.assignees).toEqual([]);
    expect(cleared.body.milestone).toBeNull();
    expect(cleared.body.due_date).toBeNull();
    const badDate = await edit(iid, { due_date: 'soon' });
    expect(badDate.body).toEqual({ error: 'due_date is invalid' });
  });

  it('needs at least one attribute, and update rights', async () => {
    const { iid } = (await create({ title: 'rights' })).body;
    const none = await edit(iid, {});
    expect(none.status).toBe(400);
    expect(none.body.error).toMatch(/are missing, at least one parameter must be provided$/);
    const guest = await edit(iid, { title: 'hijack' }, 'dave');
    expect(guest.status).toBe(403);
    expect(guest.body).toEqual({ message: '403 Forbidden' });
  });

  it('hides confidential issues from a Guest (404) but not from a Reporter', async () => {
    const { iid } = (await create({ title: 'secret', confidential: true })).body;
    const guest = await api(sb, `${P}/issues/${iid}`, { token: tok.dave });
    expect(guest.status).toBe(404);
    expect(guest.body).toEqual({ message: '404 Issue Not Found' });
    expect((await api(sb, `${P}/issues/${iid}`, { token: tok.carol })).status).toBe(200);
    const list = await api(sb, `${P}/issues?per_page=100`, { token: tok.dave });
    expect(list.body.some((i: { iid: number }) => i.iid === iid)).toBe(false);
  });

  it('lets only an Owner delete (204)', async () => {
    const { iid } = (await create({ title: 'delete me' })).body;
    expect((await api(sb, `${P}/issues/${iid}`, { token: tok.carol, method: 'DELETE' })).status).toBe(403);
    expect((await api(sb, `${P}/issues/${iid}`, { token: tok.alice, method: 'DELETE' })).status).toBe(204);
    expect((await api(sb, `${P}/issues/${iid}`, { token: tok.alice })).status).toBe(404);
  });
});

describe('list issues', () => {
  it('filters by labels (AND), iids[], state, search and updated_after', async () => {
    const a = (await create({ title: 'alpha finding', labels: 'Vulnbridge,VB-LIST00000001' })).body;
    const b = (await create({ title: 'beta finding', labels: 'Vulnbridge,VB-LIST00000002' })).body;
    await edit(b.iid, { state_event: 'close' });
    const both = await api(sb, `${P}/issues?labels=Vulnbridge,VB-LIST00000001`, { token: tok.alice });
    expect(both.body.map((i: { iid: number }) => i.iid)).toEqual([a.iid]);
    const iids = await api(sb, `${P}/issues?iids[]=${a.iid}&iids[]=${b.iid}&order_by=created_at&sort=asc`, {
      token: tok.alice,
    });
    expect(iids.body.map((i: { iid: number }) => i.iid)).toEqual([a.iid, b.iid]);
    const closed = await api(sb, `${P}/issues?state=closed&iids[]=${a.iid}&iids[]=${b.iid}`, { token: tok.alice });
    expect(closed.body.map((i: { iid: number }) => i.iid)).toEqual([b.iid]);
    const search = await api(sb, `${P}/issues?search=alpha%20finding`, { token: tok.alice });
    expect(search.body.map((i: { iid: number }) => i.iid)).toEqual([a.iid]);
    const since = new Date(sb.store.now() + 1000).toISOString();
    expect((await api(sb, `${P}/issues?updated_after=${since}`, { token: tok.alice })).body).toEqual([]);
    sb.admin.advanceClock(5000);
    await edit(a.iid, { title: 'alpha finding (edited)' });
    const after = await api(sb, `${P}/issues?updated_after=${since}`, { token: tok.alice });
    expect(after.body.map((i: { iid: number }) => i.iid)).toEqual([a.iid]);
    const none = await api(sb, `${P}/issues?labels=None&iids[]=${a.iid}`, { token: tok.alice });
    expect(none.body).toEqual([]);
  });

  it('supports keyset pagination of issues through Link', async () => {
    for (let i = 0; i < 5; i += 1) await create({ title: `keyset ${i}`, labels: 'keyset' });
    let url: string | null = `${sb.url}/api/v4${P}/issues?labels=keyset&pagination=keyset&per_page=2`;
    const seen: number[] = [];
    while (url) {
      const res: { body: { iid: number }[]; headers: Headers } = await api(sb, url, { token: tok.alice });
      seen.push(...res.body.map((i) => i.iid));
      url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
      if (url) expect(url).toContain('cursor=');
    }
    expect(seen).toHaveLength(5);
    expect(seen).toEqual([...seen].sort((x, y) => y - x));
  });
});

describe('labels', () => {
  it('creates a label (201), answers 409 for a duplicate name and validates color and commas', async () => {
    const res = await api(sb, `${P}/labels`, {
      token: tok.alice,
      body: { name: ' Triage ', color: '#FF0000', description: 'to look at' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Triage',
      color: '#FF0000',
      description: 'to look at',
      text_color: '#FFFFFF',
      is_project_label: true,
      subscribed: false,
      priority: null,
    });
    const dup = await api(sb, `${P}/labels`, { token: tok.alice, body: { name: 'Triage', color: '#00FF00' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ message: 'Label already exists' });
    expect((await api(sb, `${P}/labels`, { token: tok.alice, body: { name: 'x' } })).body).toEqual({
      error: 'color is missing',
    });
    expect((await api(sb, `${P}/labels`, { token: tok.alice, body: { name: 'x', color: 'nope' } })).body).toEqual({
      message: { color: ['must be a valid color code'] },
    });
    expect((await api(sb, `${P}/labels`, { token: tok.alice, body: { name: 'a,b', color: 'red' } })).body).toEqual({
      message: { title: ['is invalid'] },
    });
    expect((await api(sb, `${P}/labels`, { token: tok.dave, body: { name: 'guest', color: 'red' } })).status).toBe(403);
  });

  it('lists labels with counts', async () => {
    const res = await api(sb, `${P}/labels?with_counts=true&search=bug`, { token: tok.alice });
    expect(res.body[0]).toMatchObject({ name: 'bug', open_issues_count: 1, closed_issues_count: 0 });
  });
});
