import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc, startReceiver } from '../testing/helpers.ts';

let sb: Sandbox;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let cookie: string;
let iid: number;
const PATH = 'acme/platform/security/juice-shop';

async function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${sb.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

beforeAll(async () => {
  [sb, rx] = await Promise.all([startSandbox({ rateLimits: 'off' }), startReceiver()]);
  const alice = sb.users[0]!;
  await api(sb, `/projects/${enc(PATH)}/hooks`, {
    token: alice.token,
    body: { url: rx.url, issues_events: true, note_events: true },
  });
  iid = (
    await api(sb, `/projects/${enc(PATH)}/issues`, {
      token: alice.token,
      body: { title: 'Shown <b>escaped</b>', description: '<script>alert(1)</script>' },
    })
  ).body.iid;
  const bob = sb.users.find((u) => u.username === 'bob')!;
  const res = await form('/users/sign_in', {
    username: 'bob',
    password: bob.password,
    redirect_to: `/${PATH}/-/issues`,
  });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe(`/${PATH}/-/issues`);
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  await sb.admin.idle();
  rx.deliveries.length = 0;
});
afterAll(async () => {
  await sb.close();
  await rx.close();
});

const get = (path: string) => fetch(`${sb.url}${path}`, { headers: { cookie }, redirect: 'manual' });

describe('pages for people', () => {
  it('redirects to sign-in without a session', async () => {
    const res = await fetch(`${sb.url}/${PATH}/-/issues`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/users/sign_in?redirect_to=');
  });

  it('lists a project’s issues and shows one, escaping user text', async () => {
    const list = await (await get(`/${PATH}/-/issues`)).text();
    expect(list).toContain(`/${PATH}/-/issues/${iid}`);
    expect(list).toContain('Shown &lt;b&gt;escaped&lt;/b&gt;');
    const page = await (await get(`/${PATH}/-/issues/${iid}`)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('Close issue');
    expect((await get('/')).status).toBe(200);
    expect((await get(`/${PATH}`)).headers.get('location')).toBe(`/${PATH}/-/issues`);
  });

  it('answers 404 for a project the person cannot see', async () => {
    expect((await get('/globex/globex-auth-001/-/issues')).status).toBe(404);
  });

  it('comments, closes, reopens and assigns, firing the same webhooks as the API', async () => {
    const base = `/${PATH}/-/issues/${iid}`;
    expect((await form(`${base}/notes`, { body: 'Seen from the UI' }, { cookie })).status).toBe(302);
    expect((await form(`${base}/state`, { state_event: 'close' }, { cookie })).status).toBe(302);
    let issue = (await api(sb, `/projects/${enc(PATH)}/issues/${iid}`, { token: sb.users[0]!.token })).body;
    expect(issue.state).toBe('closed');
    expect(issue.closed_by.username).toBe('bob');
    await form(`${base}/state`, { state_event: 'reopen' }, { cookie });
    await form(`${base}/assign`, { assignee: '@carol' }, { cookie });
    issue = (await api(sb, `/projects/${enc(PATH)}/issues/${iid}`, { token: sb.users[0]!.token })).body;
    expect(issue.state).toBe('opened');
    expect(issue.assignees.map((a: { username: string }) => a.username)).toEqual(['carol']);
    const page = await (await get(base)).text();
    expect(page).toContain('Seen from the UI');
    expect(page).toContain('assigned to @carol');
    await sb.admin.idle();
    const kinds = rx.deliveries.map(
      (d) => `${d.body.object_kind}:${d.body.object_attributes.action}:${d.body.user.username}`,
    );
    expect(kinds).toEqual(['note:create:bob', 'issue:close:bob', 'issue:reopen:bob', 'issue:update:bob']);
  });

  it('signs out', async () => {
    const res = await form('/users/sign_out', {}, { cookie });
    expect(res.status).toBe(302);
    expect((await get(`/${PATH}/-/issues`)).status).toBe(302);
  });
});
