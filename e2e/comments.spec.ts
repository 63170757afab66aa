// Comments both ways, live, in a real browser against the real server and the GitLab sandbox (started
// by global-setup): a target connected with alice's token, a one-finding report, a project where alice
// is Owner (a webhook is registered and the sandbox delivers to the hub), an issue created for the vulnerability; then in the finding drawer a hub comment is
// posted to GitLab as alice, and bob's comment on the sandbox's issue page appears in the open drawer
// without a reload, with its HTML shown as text and a javascript: link disarmed. Axe; a screenshot.
//
// This spec runs first (files run in name order) and the foundation spec expects a server that still
// needs set-up, so it works in an organization of its own, made in the database, and removes that
// organization and its user at the end: the hub is left exactly as it was found.
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { sqlInjectionReport } from './scan-fixtures.ts';
import { baseUrl, expectAccessible, hubSpec, screenshotsDir, signIn } from './helpers.ts';
import { withOwnOrganization } from './own-organization.ts';
import { sandbox, sandboxAdmin, sandboxUser } from './sandbox.ts';

const screenshots = screenshotsDir();

hubSpec({ serial: true });

// A project of the acme/platform/security group, where alice is Owner (so a webhook is registered) and
// bob can comment. Not juice-shop: linking creates the Vulnbridge label there, which the sandbox cannot
// delete, and the GitLab spec expects to see that label created in juice-shop.
const projectPath = 'acme/platform/security/security-mobile-047';
const site = 'https://shop-comments.example.com';
const person = {
  organizationName: 'Comment Testers',
  name: 'Carla Commenter',
  email: 'carla@comments.test',
  password: 'amber kettles hum at dusk',
};
const alice = () => sandboxUser('alice');
const bob = () => sandboxUser('bob');
const hubText = `Verified the fix on staging ${Date.now().toString(36)}`;
const xssBody = 'Still reproducible: <img src=x onerror=window.__xss=1> see [link](javascript:alert(1)) and **bold**';

let targetId = '';
let scanId = '';
let findingId = '';
let vulnerabilityId = '';
let projectId = 0;
let iid = 0;
let hooksBefore: number[] = [];

/** Calls the sandbox's GitLab API as `user` (alice by default); fails on anything but 2xx. */
async function gitlab(method: 'GET' | 'PUT' | 'DELETE', path: string, user = alice()): Promise<unknown> {
  const response = await fetch(`${sandbox().url}/api/v4${path}`, { method, headers: { 'PRIVATE-TOKEN': user.token } });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Signs bob in on the sandbox's own sign-in page, in `context`, which then shows the issue. */
async function openIssueAsBob(context: BrowserContext): Promise<Page> {
  const gitlabPage = await context.newPage();
  await gitlabPage.goto(
    `${sandbox().url}/users/sign_in?redirect_to=${encodeURIComponent(`/${projectPath}/-/issues/${iid}`)}`,
  );
  await gitlabPage.getByLabel('Username or primary email').fill(bob().username);
  await gitlabPage.getByLabel('Password').fill(bob().password);
  await gitlabPage.getByRole('button', { name: 'Sign in' }).click();
  return gitlabPage;
}

interface SandboxNote {
  id: number;
  body: string;
  system: boolean;
  author: { username: string };
}

/** A ZAP JSON report with one finding. */
function oneFindingReport(): Buffer {
  const instance = {
    uri: `${site}/rest/user/login`,
    method: 'POST',
    param: 'email',
    attack: "' OR 1=1--",
    evidence: 'SQLITE_ERROR',
    otherinfo: '',
    requestheader: `POST ${site}/rest/user/login HTTP/1.1\r\nHost: shop-comments.example.com\r\n\r\n`,
    requestbody: '{"email":"\' OR 1=1--"}',
    responseheader: 'HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n',
    responsebody: '{"error":"SQLITE_ERROR"}',
  };
  return sqlInjectionReport(site, [instance]);
}

withOwnOrganization(
  person,
  () => ({ targetId, projectId, iid, hooksBefore }),
  (method, path) => gitlab(method, path),
);

test('the finding’s issue is created in the sandbox project, with its webhook', async ({ page }) => {
  const project = (await gitlab('GET', `/projects/${encodeURIComponent(projectPath)}`)) as { id: number };
  projectId = project.id;
  hooksBefore = ((await gitlab('GET', `/projects/${projectId}/hooks`)) as { id: number }[]).map((h) => h.id);

  await signIn(page, person.email, person.password);
  const session = await page.request.get(`${baseUrl()}/api/auth/session`);
  const headers = { 'X-CSRF-Token': ((await session.json()) as { csrfToken: string }).csrfToken };
  const target = await page.request.post(`${baseUrl()}/api/targets`, {
    headers,
    data: { name: 'Shop with comments', baseUrl: site },
  });
  expect(target.ok(), await target.text()).toBe(true);
  targetId = ((await target.json()) as { target: { id: string } }).target.id;
  const connected = await page.request.post(`${baseUrl()}/api/targets/${targetId}/gitlab/token`, {
    headers,
    data: { baseUrl: sandbox().url, token: alice().token },
  });
  expect(connected.ok(), await connected.text()).toBe(true);
  const upload = await page.request.post(`${baseUrl()}/api/targets/${targetId}/scans`, {
    headers,
    multipart: { file: { name: 'shop-zap.json', mimeType: 'application/json', buffer: oneFindingReport() } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  scanId = ((await upload.json()) as { imports: { scanId: string }[] }).imports[0]!.scanId;
  const report = (await (await page.request.get(`${baseUrl()}/api/scans/${scanId}`)).json()) as {
    vulnerabilities: { id: string }[];
  };
  vulnerabilityId = report.vulnerabilities[0]!.id;
  const findings = (await (
    await page.request.get(`${baseUrl()}/api/vulnerabilities/${vulnerabilityId}/findings`)
  ).json()) as { findings: { id: string }[] };
  findingId = findings.findings[0]!.id;

  // Before the issue exists, the drawer says to create it first.
  await page.goto(`/scans/${scanId}?vulnerability=${vulnerabilityId}&finding=${findingId}`);
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByTestId('comments-empty')).toContainText('Create the issue first');

  const linked = await page.request.put(`${baseUrl()}/api/scans/${scanId}/gitlab/project`, {
    headers,
    data: { projectId },
  });
  expect(linked.ok(), await linked.text()).toBe(true);
  expect(JSON.stringify(await linked.json())).toContain('webhook');
  const push = await page.request.post(`${baseUrl()}/api/scans/${scanId}/pushes`, {
    headers,
    data: { vulnerabilityId },
  });
  expect(push.ok(), await push.text()).toBe(true);
  const pushId = ((await push.json()) as { pushId: string }).pushId;
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${baseUrl()}/api/pushes/${pushId}`)).json()) as { finished: boolean })
          .finished,
      { timeout: 20_000 },
    )
    .toBe(true);
  const done = (await (await page.request.get(`${baseUrl()}/api/pushes/${pushId}`)).json()) as {
    items: { iid: number | null }[];
  };
  iid = done.items[0]?.iid ?? 0;
  expect(iid).toBeGreaterThan(0);

  // Live: the open drawer learns of the issue without a reload.
  await expect(drawer.getByTestId('comment-issue-link')).toHaveText(
    `${projectPath} #${iid} (opens GitLab in a new tab)`,
  );
  await expect(drawer.getByTestId('comment-issue-link')).toHaveAttribute('target', '_blank');
});

async function openFinding(page: Page) {
  await signIn(page, person.email, person.password);
  await page.goto(`/scans/${scanId}?vulnerability=${vulnerabilityId}&finding=${findingId}`);
  const thread = page.getByRole('dialog').getByTestId('comment-thread');
  await expect(thread).toBeVisible();
  return thread;
}

test('a hub comment is posted to the GitLab issue as alice, and comes back once', async ({ page }) => {
  const thread = await openFinding(page);
  await thread.getByLabel('Add a comment').fill(hubText);
  await thread.getByRole('button', { name: 'Comment', exact: true }).click();
  const mine = thread.getByTestId('comment').filter({ hasText: hubText });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('from Vulnbridge');
  await expect(mine.getByTestId('comment-state')).toHaveAttribute('data-state', 'posted', { timeout: 15_000 });
  await expect(mine.getByTestId('comment-author')).toHaveText(person.name);
  await expect(mine.getByTestId('comment-username')).toHaveText('posted as @alice');

  const notes = async () =>
    ((await gitlab('GET', `/projects/${projectId}/issues/${iid}/notes?per_page=100`)) as SandboxNote[]).filter((n) =>
      n.body.includes(hubText),
    );
  await expect.poll(async () => (await notes()).length).toBe(1);
  expect((await notes())[0]!.author.username).toBe('alice');
  // The webhook echo of our own note has had time to arrive: still one comment.
  await page.waitForTimeout(2500);
  await expect(thread.getByTestId('comment').filter({ hasText: hubText })).toHaveCount(1);
  await expect(thread.getByTestId('comment')).toHaveCount(1);
});

test('bob’s comment on the GitLab issue page appears live in the open drawer, rendered harmlessly', async ({
  page,
  browser,
}) => {
  const thread = await openFinding(page);
  await expect(thread.getByTestId('comment')).toHaveCount(1);
  const marker = await page.evaluate(() => {
    (window as unknown as { __loadedOnce: boolean }).__loadedOnce = true;
    return true;
  });
  expect(marker).toBe(true);

  // As a person would: sign in to the sandbox as bob, open the issue, comment.
  const gitlabContext = await browser.newContext();
  try {
    const gitlabPage = await openIssueAsBob(gitlabContext);
    await expect(gitlabPage.getByRole('heading', { level: 2, name: 'Activity' })).toBeVisible();
    await gitlabPage.getByLabel('Comment').fill(xssBody);
    const sentAt = Date.now();
    await gitlabPage.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect(gitlabPage.locator('.note').filter({ hasText: 'window.__xss' })).toHaveCount(1);

    const theirs = thread.getByTestId('comment').filter({ hasText: 'Still reproducible' });
    await expect(theirs).toHaveCount(1);
    const seenAfter = Date.now() - sentAt;
    test
      .info()
      .annotations.push({ type: 'latency', description: `GitLab comment visible in the hub after ${seenAfter} ms` });
  } finally {
    await gitlabContext.close();
  }
  // No reload happened: the page's own marker is still there.
  expect(await page.evaluate(() => (window as unknown as { __loadedOnce?: boolean }).__loadedOnce)).toBe(true);

  const theirs = thread.getByTestId('comment').filter({ hasText: 'Still reproducible' });
  await expect(theirs.getByTestId('comment-author')).toHaveText('Bob Builder');
  await expect(theirs).toContainText('@bob');
  await expect(theirs).toContainText('via GitLab');
  // The HTML is shown as the text it is; no image, no javascript: link; Markdown still works.
  await expect(theirs).toContainText('<img src=x onerror=window.__xss=1>');
  await expect(theirs.locator('img')).toHaveCount(0);
  await expect(theirs.locator('a')).toHaveCount(0);
  await expect(theirs.getByText('link', { exact: true })).toBeVisible();
  await expect(theirs.locator('strong')).toHaveText('bold');
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  // And the hub's own comment was not duplicated.
  await expect(thread.getByTestId('comment').filter({ hasText: hubText })).toHaveCount(1);
  await expect(thread.getByTestId('comment')).toHaveCount(2);

  await expectAccessible(page, 'finding drawer with comments', '[role="dialog"]');
  await thread.getByLabel('Add a comment').fill('Thanks, Bob: reopening the fix ticket.');
  await thread.getByTestId('comment').first().scrollIntoViewIfNeeded();
  await page.getByRole('dialog').getByText('Comments', { exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/comment-thread.png` });

  // Closed in GitLab: the drawer's issue state follows live, and stays accessible.
  await expect(page.getByRole('dialog').getByTestId('issue-state')).toHaveText('OPEN');
  await gitlab('PUT', `/projects/${projectId}/issues/${iid}?state_event=close`);
  await expect(page.getByRole('dialog').getByTestId('issue-state')).toHaveText('CLOSED', { timeout: 5000 });
  await expectAccessible(page, 'finding drawer with a closed issue', '[role="dialog"]');
});

// Issue #14: a hub comment is posted with the connected user's GitLab rights, so its text must not act:
// no quick action, mention or reference. GitLab receives it signed with its hub author. And a comment
// waiting on a connection that needs reconnecting says so instead of "Posting…" forever.
test('a hub comment reaches GitLab signed by its hub author and inert; while GitLab needs reconnecting it shows paused', async ({
  page,
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const thread = await openFinding(page);
  const evil = `Retest ${stamp}: still **open**.\n/reopen\n/assign @bob\ncc @all, see #1`;
  await thread.getByLabel('Add a comment').fill(evil);
  await thread.getByRole('button', { name: 'Comment', exact: true }).click();
  const mine = thread.getByTestId('comment').filter({ hasText: `Retest ${stamp}` });
  await expect(mine.getByTestId('comment-state')).toHaveAttribute('data-state', 'posted', { timeout: 15_000 });

  // As GitLab received it: the attribution line, then the text with the acting tokens in code spans.
  const note = ((await gitlab('GET', `/projects/${projectId}/issues/${iid}/notes?per_page=100`)) as SandboxNote[]).find(
    (n) => n.body.includes(`Retest ${stamp}`),
  )!;
  expect(note.body).toMatch(
    new RegExp(
      `^\\*\\*${person.name}\\*\\* \\(Vulnbridge\\) wrote:\\n\\nRetest ${stamp}: still \\*\\*open\\*\\*\\.\\n\`/reopen\`\\n`,
    ),
  );
  const issue = (await gitlab('GET', `/projects/${projectId}/issues/${iid}`)) as {
    state: string;
    assignees: unknown[];
  };
  expect(issue.state).toBe('closed'); // closed in GitLab by the test before; `/reopen` did not run
  expect(issue.assignees).toEqual([]);

  // As a developer sees it on the issue page.
  const gitlabContext = await browser.newContext();
  try {
    const gitlabPage = await openIssueAsBob(gitlabContext);
    const shown = gitlabPage.locator('.note').filter({ hasText: `Retest ${stamp}` });
    await expect(shown).toContainText(`${person.name} (Vulnbridge) wrote:`);
    await expect(shown.locator('.md strong').first()).toHaveText(person.name);
    await expect(shown).not.toContainText('vulnbridge:comment');
    await expect(shown.locator('code').filter({ hasText: '/reopen' })).toHaveCount(1);
    await expect(shown.locator('code').filter({ hasText: '@all' })).toHaveCount(1);
    await shown.scrollIntoViewIfNeeded();
    await gitlabPage.screenshot({ path: test.info().outputPath('gitlab-note-from-hub.png'), fullPage: true });
  } finally {
    await gitlabContext.close();
  }

  // The connection's token is revoked: the next comment waits, and says why.
  const session = await page.request.get(`${baseUrl()}/api/auth/session`);
  const headers = { 'X-CSRF-Token': ((await session.json()) as { csrfToken: string }).csrfToken };
  const connect = async (token: string) => {
    const response = await page.request.post(`${baseUrl()}/api/targets/${targetId}/gitlab/token`, {
      headers,
      data: { baseUrl: sandbox().url, token },
    });
    expect(response.ok(), await response.text()).toBe(true);
  };
  const first = ((await sandboxAdmin('POST', '/tokens', { username: 'alice' })) as { token: string }).token;
  await connect(first);
  await sandboxAdmin('POST', '/tokens/revoke', { token: first });
  await thread.getByLabel('Add a comment').fill(`Written while GitLab is disconnected ${stamp}`);
  await thread.getByRole('button', { name: 'Comment', exact: true }).click();
  const waiting = thread.getByTestId('comment').filter({ hasText: `Written while GitLab is disconnected ${stamp}` });
  await expect(waiting.getByTestId('comment-state')).toHaveAttribute('data-state', 'paused', { timeout: 20_000 });
  await expect(waiting.getByTestId('comment-state')).toContainText('paused: reconnect GitLab');
  await expect(waiting).not.toContainText('Posting');
  await waiting.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('comment-paused.png') });
  // Reconnected: it is posted.
  await connect(((await sandboxAdmin('POST', '/tokens', { username: 'alice' })) as { token: string }).token);
  await expect(waiting.getByTestId('comment-state')).toHaveAttribute('data-state', 'posted', { timeout: 30_000 });
});
