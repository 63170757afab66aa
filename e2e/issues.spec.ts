// Create Issue and Created Issues in a real browser against the real server and the GitLab sandbox
// (started by global-setup): a target connected with alice's access token, a small ZAP report, the
// project chosen in the picker from the Create Issue popup, one issue per finding with the user's label,
// progress to the end, the issues checked through the sandbox's API, Created Issues OPEN, one closed in
// GitLab and Refresh shows it CLOSED. Axe on the popup, the progress and Created Issues; screenshots.
import { expect, test } from '@playwright/test';
import {
  baseUrl,
  ensureOwner,
  expectAccessible,
  hubSpec,
  owner,
  screenshotsDir,
  sessionHeaders,
  signIn,
  signInHeaders,
} from './helpers.ts';
import { sandbox, sandboxAdmin, sandboxUser } from './sandbox.ts';

const screenshots = screenshotsDir();

hubSpec({ serial: true });

const projectPath = 'acme/platform/security/webgoat';
const site = 'https://webgoat.example.com';
const vulnerabilityName = 'Cross Site Scripting (Reflected)';
const FINDINGS = 3;
const alice = () => sandboxUser('alice');
let targetId = '';
let scanId = '';
let gitlabProjectId = 0;
let readerId = '';
const issuesReader = {
  name: 'Ivy Viewer',
  email: 'ivy@acme.test',
  password: 'violet ledger quiet 2024',
  role: 'reader',
};

test.beforeAll(({ request }) => ensureOwner(request));

/** Calls the sandbox's GitLab API as alice; fails on anything but 2xx. */
async function gitlab(method: 'GET' | 'PUT' | 'DELETE', path: string): Promise<unknown> {
  const response = await fetch(`${sandbox().url}/api/v4${path}`, {
    method,
    headers: { 'PRIVATE-TOKEN': alice().token },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

interface SandboxIssue {
  iid: number;
  assignees: { username: string }[];
  state: string;
  labels: string[];
  confidential: boolean;
  title: string;
}

const ourIssues = async () =>
  (await gitlab(
    'GET',
    `/projects/${gitlabProjectId}/issues?labels=Vulnbridge&state=all&per_page=100`,
  )) as SandboxIssue[];

// Leave the organization and the sandbox as the other specs expect them: the target (its scan, its
// connection and its issues' records) goes first, so GitLab's webhooks about the deletions below are
// refused at the door; then the project's hooks and the issues this spec created in GitLab.
test.afterAll(async ({ request }) => {
  if (targetId) {
    const headers = await signInHeaders(request, owner);
    if (readerId)
      expect((await request.delete(`${baseUrl()}/api/members/${readerId}`, { headers })).status()).toBe(204);
    expect((await request.delete(`${baseUrl()}/api/targets/${targetId}/gitlab`, { headers })).status()).toBe(204);
    const deleted = await request.delete(`${baseUrl()}/api/targets/${targetId}`, { headers });
    expect(deleted.status(), await deleted.text()).toBe(204);
  }
  if (gitlabProjectId) {
    const hooks = (await gitlab('GET', `/projects/${gitlabProjectId}/hooks`)) as { id: number }[];
    for (const hook of hooks) await gitlab('DELETE', `/projects/${gitlabProjectId}/hooks/${hook.id}`);
    for (const issue of await ourIssues()) await gitlab('DELETE', `/projects/${gitlabProjectId}/issues/${issue.iid}`);
  }
});

/** A ZAP JSON report: `count` findings of reflected XSS (different pages and parameters) and one low alert. */
function zapReport(count: number): Buffer {
  const instance = (i: number) => ({
    uri: `${site}/WebGoat/page-${i}?name=x`,
    method: i % 2 ? 'POST' : 'GET',
    param: `name${i}`,
    attack: '<script>alert(1)</script>',
    evidence: '<script>alert(1)</script>',
    otherinfo: '',
    requestheader: `GET ${site}/WebGoat/page-${i} HTTP/1.1\r\nHost: webgoat.example.com\r\n\r\n`,
    requestbody: '',
    responseheader: 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n',
    responsebody: '<html><script>alert(1)</script></html>',
  });
  const alert = (id: string, name: string, risk: string, instances: unknown[], cwe: string) => ({
    pluginid: id,
    alertRef: id,
    alert: name,
    name,
    riskcode: risk,
    confidence: '2',
    riskdesc: risk === '3' ? 'High (Medium)' : 'Low (Medium)',
    desc: `<p>${name}.</p>`,
    solution: '<p>Encode output.</p>',
    otherinfo: '',
    reference: '<p>https://owasp.org/www-community/attacks/xss/</p>',
    cweid: cwe,
    wascid: '8',
    sourceid: '1',
    instances,
    count: String(instances.length),
  });
  const alerts = [
    alert(
      '40012',
      vulnerabilityName,
      '3',
      Array.from({ length: count }, (_, i) => instance(i + 1)),
      '79',
    ),
    alert('10021', 'X-Content-Type-Options Header Missing', '1', [instance(99)], '693'),
  ];
  const site0 = { '@name': site, '@host': 'webgoat.example.com', '@port': '443', '@ssl': 'true', alerts };
  return Buffer.from(
    JSON.stringify({
      '@programName': 'ZAP',
      '@version': '2.15.0',
      '@generated': 'Mon, 3 Jun 2024 10:00:00',
      site: [site0],
    }),
  );
}

test('Create Issue: one GitLab issue per finding, with the user’s label, progress to the end', async ({ page }) => {
  const project = (await gitlab('GET', `/projects/${encodeURIComponent(projectPath)}`)) as { id: number };
  gitlabProjectId = project.id;
  expect(await ourIssues()).toEqual([]);

  await signIn(page, owner.email, owner.password);
  const headers = await sessionHeaders(page);
  const target = await page.request.post(`${baseUrl()}/api/targets`, {
    headers,
    data: { name: 'WebGoat', baseUrl: site },
  });
  expect(target.ok()).toBe(true);
  targetId = ((await target.json()) as { target: { id: string } }).target.id;
  const connected = await page.request.post(`${baseUrl()}/api/targets/${targetId}/gitlab/token`, {
    headers,
    data: { baseUrl: sandbox().url, token: alice().token },
  });
  expect(connected.ok(), await connected.text()).toBe(true);
  const upload = await page.request.post(`${baseUrl()}/api/targets/${targetId}/scans`, {
    headers,
    multipart: { file: { name: 'webgoat-zap.json', mimeType: 'application/json', buffer: zapReport(FINDINGS) } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  scanId = ((await upload.json()) as { imports: { scanId: string }[] }).imports[0]!.scanId;

  // The most severe vulnerability is open; no project is chosen yet, so the popup offers the picker.
  await page.goto(`/scans/${scanId}`);
  const panel = page.getByTestId('vulnerability-panel');
  await expect(panel.getByRole('heading', { name: vulnerabilityName })).toBeVisible();
  await panel.getByRole('button', { name: 'Create Issue' }).click();
  let dialog = page.getByRole('dialog', { name: 'Create Issue' });
  await expect(dialog.getByRole('alert')).toContainText('Choose the GitLab project first');
  await dialog.getByRole('button', { name: 'Choose a project' }).click();

  const picker = page.getByRole('dialog', { name: 'GitLab Issues: choose a project' });
  await picker.getByRole('searchbox', { name: 'Search projects' }).fill('webgoat');
  const webgoat = picker.getByRole('radio', { name: projectPath });
  await expect(webgoat).toBeVisible();
  await webgoat.click();
  await picker.getByRole('button', { name: 'Save' }).click();
  await expect(picker.getByRole('status')).toContainText('Registered a project webhook');
  await picker.getByRole('button', { name: 'Done' }).click();
  await expect(picker).toBeHidden();

  // Back in the popup, now with the project.
  dialog = page.getByRole('dialog', { name: 'Create Issue' });
  await expect(dialog.getByTestId('issue-count')).toContainText(`One GitLab issue per finding: ${FINDINGS} issues`);
  await expect(dialog.getByTestId('issue-count')).toContainText(projectPath);
  await expect(dialog.getByText(/Vulnbridge\s+and the finding’s\s+VB-…\s+ID label are always added/)).toBeVisible();
  await expect(dialog.getByRole('switch', { name: 'Confidential' })).toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Add a severity label' })).toBeChecked();
  await dialog.getByLabel('Labels').fill('team::web');
  await dialog.getByLabel('Labels').press('Enter');
  await expect(dialog.getByText('team::web', { exact: true })).toBeVisible();
  // The assignee select lists the project's members (from GitLab).
  await dialog.getByRole('combobox', { name: 'Assignee' }).click();
  await page.getByRole('option', { name: /@alice/ }).click();
  await expect(dialog.getByRole('combobox', { name: 'Assignee' })).toHaveValue('Alice Appsec (@alice)');
  await expectAccessible(page, 'Create Issue popup', '[role="dialog"]');
  await page.screenshot({ path: `${screenshots}/create-issue.png` });

  // GitLab refuses the first create (422, not applied): that finding fails with the reason and a Retry.
  await sandboxAdmin('PUT', '/faults', { spec: 'error=1:method=POST:path=/issues:status=422:times=1' });
  await dialog.getByRole('button', { name: `Create ${FINDINGS} issues` }).click();
  const status = dialog.getByTestId('push-status');
  await expect(status).toContainText(`Finished: ${FINDINGS - 1} issues created, 1 failed.`, { timeout: 20_000 });
  await expect(dialog.getByRole('progressbar', { name: 'Issues pushed' })).toHaveAttribute(
    'aria-valuenow',
    String(FINDINGS),
  );
  await expect(dialog.getByTestId('push-counts')).toContainText(`Created: ${FINDINGS - 1}`);
  await expect(dialog.getByTestId('push-counts')).toContainText('Failed: 1');
  const rows = dialog.getByTestId('push-results').locator('tbody tr');
  await expect(rows).toHaveCount(FINDINGS);
  const failed = rows.and(dialog.locator('tr[data-state="failed"]'));
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText('422');
  await expectAccessible(page, 'push progress', '[role="dialog"]');
  await page.screenshot({ path: `${screenshots}/push-progress.png` });

  await sandboxAdmin('DELETE', '/faults');
  await failed.getByRole('button', { name: /^Retry VB-/ }).click();
  await expect(status).toContainText(`Finished: ${FINDINGS} issues created.`, { timeout: 20_000 });
  await expect(dialog.getByTestId('push-counts')).toContainText(`Created: ${FINDINGS}`);
  await expect(dialog.getByTestId('push-counts')).toContainText('Failed: 0');
  for (const row of await rows.all()) {
    await expect(row).toContainText(/VB-[A-Z]{6}\d{6}/);
    await expect(row.getByRole('link', { name: /^#\d+/ })).toHaveAttribute('target', '_blank');
  }

  // In GitLab: exactly one issue per finding, each with our labels and the user's, confidential.
  const issues = await ourIssues();
  expect(issues).toHaveLength(FINDINGS);
  for (const issue of issues) {
    expect(issue.labels).toEqual(expect.arrayContaining(['Vulnbridge', 'team::web', 'severity::high']));
    expect(issue.labels.filter((label) => /^VB-[A-Z]{6}\d{6}$/.test(label))).toHaveLength(1);
    expect(issue.confidential).toBe(true);
    expect(issue.assignees.map((a) => a.username)).toEqual(['alice']);
    expect(issue.state).toBe('opened');
  }

  await dialog.getByRole('link', { name: 'Open Created Issues' }).click();
  await expect(page).toHaveURL(`${baseUrl()}/scans/${scanId}/issues`);
});

test('Created Issues shows every issue OPEN; one closed in GitLab shows CLOSED after Refresh', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto(`/scans/${scanId}`);
  await page.getByRole('link', { name: 'Created Issues' }).click();
  await expect(page.getByRole('heading', { name: 'Created Issues', level: 1 })).toBeVisible();
  const rows = page.getByTestId('created-issues').locator('tbody tr');
  await expect(rows).toHaveCount(FINDINGS);
  await expect(page.getByTestId('issue-state').filter({ hasText: 'OPEN' })).toHaveCount(FINDINGS);
  await expect(rows.first()).toContainText(projectPath);
  await expect(rows.first()).toContainText('team::web');
  await expect(rows.first()).toContainText('@alice');
  await expect(rows.first().getByRole('link', { name: /^#\d+/ })).toHaveAttribute(
    'href',
    new RegExp(`^${sandbox().url}/${projectPath}/-/issues/\\d+$`),
  );
  await expectAccessible(page, 'Created Issues');
  await page.screenshot({ path: `${screenshots}/created-issues.png` });

  // alice closes the first one in GitLab; Refresh reads them all back in one call.
  const first = rows.first();
  const iid = Number((await first.getByRole('link', { name: /^#\d+/ }).textContent())?.slice(1));
  const publicId = await first.getAttribute('data-public-id');
  await gitlab('PUT', `/projects/${gitlabProjectId}/issues/${iid}?state_event=close`);
  await expect(first.getByTestId('issue-state')).toHaveText('OPEN');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('refresh-result')).toContainText(`${FINDINGS} issues refreshed in 1 call`);
  const closed = page.locator(`tr[data-public-id="${publicId}"]`);
  await expect(closed.getByTestId('issue-state')).toHaveText('CLOSED');
  await expect(page.getByTestId('issue-state').filter({ hasText: 'OPEN' })).toHaveCount(FINDINGS - 1);
  await expectAccessible(page, 'Created Issues (refreshed)');

  // The finding ID opens the finding in the scan report.
  await closed.getByRole('link', { name: publicId ?? '' }).click();
  await expect(page).toHaveURL(new RegExp(`/scans/${scanId}\\?vulnerability=[^&]+&finding=`));
  await expect(page.getByTestId('finding-public-id')).toHaveText(publicId ?? '');
});

test('a Reader sees Created Issues but no Create Issue button', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  // Members join by invitation (issue #14): the Owner invites, the Reader accepts with their own password.
  const invited = await page.request.post(`${baseUrl()}/api/invitations`, {
    headers: await sessionHeaders(page),
    data: { email: issuesReader.email, role: issuesReader.role },
  });
  expect(invited.status(), await invited.text()).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  await page.context().clearCookies();
  const accepted = await page.request.post(`${baseUrl()}/api/invitations/accept`, {
    data: { token, email: issuesReader.email, name: issuesReader.name, password: issuesReader.password },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  readerId = ((await accepted.json()) as { user: { id: string } }).user.id;
  await page.context().clearCookies();

  await signIn(page, issuesReader.email, issuesReader.password);
  await page.goto(`/scans/${scanId}`);
  const panel = page.getByTestId('vulnerability-panel');
  await expect(panel.getByRole('heading', { name: vulnerabilityName })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Create Issue' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Created Issues' }).click();
  await expect(page.getByTestId('created-issues').locator('tbody tr')).toHaveCount(FINDINGS);
});
