// Connecting GitLab in a real browser against the real server and the GitLab sandbox (started by
// global-setup): an Administrator registers the sandbox in Settings → GitLab; a target authorizes by
// OAuth (sign-in and consent on the sandbox's own pages); a scan's project is picked (search, group
// resources, webhook); disconnect revokes at GitLab; a grant revoked in GitLab shows the reconnect
// banner and Reconnect brings the target back. Axe on each page and the open picker; screenshots.
import { expect, type Page, test } from '@playwright/test';
import { sqlInjectionReport } from './scan-fixtures.ts';
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

// These tests need the Owner (an Administrator and more); when run alone, set it up.
test.beforeAll(({ request }) => ensureOwner(request));

// Leave the organization as the other specs expect it: the target (and its scan) goes, after the
// connection is removed (which revokes it in the sandbox).
test.afterAll(async ({ request }) => {
  if (!targetId) return;
  const headers = await signInHeaders(request, owner);
  const disconnected = await request.delete(`${baseUrl()}/api/targets/${targetId}/gitlab`, { headers });
  expect(disconnected.status()).toBe(204);
  const deleted = await request.delete(`${baseUrl()}/api/targets/${targetId}`, { headers });
  expect(deleted.status(), await deleted.text()).toBe(204);
});

const instanceName = 'GitLab sandbox';
const projectPath = 'acme/platform/security/juice-shop';
const alice = () => sandboxUser('alice');
let targetId = '';
let scanId = '';

/** A one-alert ZAP JSON report of `site`. */
function smallReport(site: string): Buffer {
  const instance = {
    uri: `${site}/rest/products/search?q=1`,
    method: 'GET',
    param: 'q',
    attack: "1' OR '1'='1",
    evidence: 'SQLITE_ERROR',
    otherinfo: '',
    requestheader: `GET ${site}/rest/products/search?q=1 HTTP/1.1\r\nHost: ${new URL(site).host}\r\n\r\n`,
    requestbody: '',
    responseheader: 'HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n',
    responsebody: '{"error":"SQLITE_ERROR"}',
  };
  return sqlInjectionReport(site, [instance]);
}

/** On the sandbox: signs in as alice when asked, then approves on the consent page. */
async function approveOnGitlab(page: Page): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${sandbox().url}/`));
  const signInHeading = page.getByRole('heading', { name: /sign in/i });
  const approve = page.getByRole('button', { name: /^Authorize / });
  await expect(signInHeading.or(approve).first()).toBeVisible();
  if (await signInHeading.isVisible()) {
    await page.getByLabel('Username or primary email').fill(alice().username);
    await page.getByLabel('Password').fill(alice().password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(approve).toBeVisible();
  await approve.click();
}

const integrationPath = () => `/targets/${targetId}/integrations`;

test('an Administrator adds the sandbox as a GitLab instance and sees what to register', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto('/settings/gitlab');
  await expect(page.getByRole('tab', { name: 'GitLab', selected: true })).toBeVisible();
  await expect(page.getByText('No GitLab instance yet')).toBeVisible();
  const redirectUri = `${baseUrl()}/api/integrations/gitlab/oauth/callback`;

  await page.getByRole('button', { name: 'Add instance' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add GitLab instance' });
  await expect(dialog.getByTestId('gitlab-redirect-uri')).toHaveText(redirectUri);
  await expect(dialog.getByTestId('gitlab-scope')).toHaveText('api');
  await expectAccessible(page, 'add GitLab instance', '[role="dialog"]');

  // A URL that is not http(s) is refused on its field.
  await dialog.getByLabel('Name').fill(instanceName);
  await dialog.getByLabel('Base URL').fill('ftp://gitlab.example.com');
  await dialog.getByLabel('Application ID').fill(sandbox().oauthApplication.clientId);
  await dialog.getByRole('textbox', { name: 'Secret' }).fill(sandbox().oauthApplication.clientSecret);
  await dialog.getByRole('button', { name: 'Add instance' }).click();
  await expect(dialog.getByText(/must use https/i)).toBeVisible();

  await dialog.getByLabel('Base URL').fill(sandbox().url);
  await dialog.getByRole('button', { name: 'Add instance' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(instanceName) });
  await expect(row).toContainText(sandbox().url);
  await expect(row).toContainText(redirectUri);
  await expect(row).toContainText('scope api');
  await expectAccessible(page, 'Settings → GitLab');
  await page.screenshot({ path: `${screenshots}/gitlab-instances.png` });
});

test('a target authorizes GitLab: sign in and approve on GitLab, back connected', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  const headers = await sessionHeaders(page);
  const target = await page.request.post(`${baseUrl()}/api/targets`, {
    headers,
    data: { name: 'Juice Shop', baseUrl: 'https://juice-shop.example.com' },
  });
  expect(target.ok()).toBe(true);
  targetId = ((await target.json()) as { target: { id: string } }).target.id;
  const upload = await page.request.post(`${baseUrl()}/api/targets/${targetId}/scans`, {
    headers,
    multipart: {
      file: { name: 'zap.json', mimeType: 'application/json', buffer: smallReport('https://juice-shop.example.com') },
    },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  scanId = ((await upload.json()) as { imports: { scanId: string }[] }).imports[0]!.scanId;

  // From the target page to its integration settings.
  await page.goto(`/targets/${targetId}`);
  await page.getByRole('link', { name: 'GitLab integration' }).click();
  await expect(page.getByRole('heading', { name: 'GitLab integration' })).toBeVisible();
  await expect(page.getByText('Not connected', { exact: true })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'GitLab instance' })).toHaveValue(new RegExp(instanceName));
  await expectAccessible(page, 'GitLab integration (not connected)');

  await page.getByRole('button', { name: 'Authorize' }).click();
  await approveOnGitlab(page);

  await expect(page).toHaveURL(`${baseUrl()}${integrationPath()}`);
  await expect(page.getByRole('status').filter({ hasText: 'Connected to GitLab' })).toBeVisible();
  await expect(page.getByTestId('gitlab-connected-as')).toHaveText(`Connected as @alice on ${instanceName}`);
  const apps = (await sandboxAdmin('GET', '/users/alice/authorized-applications')) as unknown[];
  expect(apps).toHaveLength(1);
});

test('the project picker searches, includes group resources, and saves with a webhook', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto(`/scans/${scanId}`);
  await page.getByRole('button', { name: 'GitLab Issues' }).click();
  const dialog = page.getByRole('dialog', { name: 'GitLab Issues: choose a project' });
  const list = dialog.getByTestId('project-list');
  await expect(list.getByRole('radio').first()).toBeVisible();

  // alice reaches more projects than one page holds: scrolling to the end loads the next page.
  const shown = dialog.getByText(/projects? shown/);
  await expect(shown).toContainText('scroll for more');
  const before = await list.getByRole('radio').count();
  await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect.poll(() => list.getByRole('radio').count()).toBeGreaterThan(before);

  await dialog.getByRole('searchbox', { name: 'Search projects' }).fill('juice');
  await dialog.getByRole('switch', { name: 'Include group resources' }).check({ force: true });
  const juiceShop = dialog.getByRole('radio', { name: projectPath });
  await expect(juiceShop).toBeVisible();
  await expect(dialog.getByRole('radio')).toHaveCount(1);
  await juiceShop.click();
  await expect(juiceShop).toHaveAttribute('aria-checked', 'true');
  await expect(dialog).toContainText(`Selected: ${projectPath}`);
  await expectAccessible(page, 'project picker', '[role="dialog"]');
  await page.screenshot({ path: `${screenshots}/project-picker.png` });

  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status')).toContainText(`@alice is Owner in ${projectPath}`);
  await expect(dialog.getByRole('status')).toContainText('Registered a project webhook');
  await expect(dialog.getByRole('status')).toContainText('Created the label "Vulnbridge"');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('scan-gitlab-project')).toContainText(projectPath);
  await expect(page.getByTestId('scan-gitlab-project')).toContainText('Synced by webhook');

  // The integration page shows it as the target's default project.
  await page.goto(integrationPath());
  await expect(page.getByTestId('gitlab-connected-as')).toBeVisible();
  await expect(page.getByRole('link', { name: projectPath })).toHaveAttribute(
    'href',
    `${sandbox().url}/${projectPath}`,
  );
  await expect(page.getByText('Synced by webhook')).toBeVisible();
  await expectAccessible(page, 'GitLab integration (connected)');
  await page.screenshot({ path: `${screenshots}/integration-settings.png` });
});

test('Disconnect revokes access in GitLab', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto(integrationPath());
  await page.getByRole('button', { name: 'Disconnect' }).click();
  const confirm = page.getByRole('dialog', { name: 'Disconnect GitLab?' });
  await expect(confirm).toContainText('revoke its access in GitLab');
  await confirm.getByRole('button', { name: 'Disconnect' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText('Not connected', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Authorize' })).toBeVisible();
  expect(await sandboxAdmin('GET', '/users/alice/authorized-applications')).toEqual([]);

  // The picker now says the target is not connected, and where to fix it.
  await page.goto(`/scans/${scanId}`);
  await page.getByRole('button', { name: 'GitLab Issues' }).click();
  const dialog = page.getByRole('dialog', { name: 'GitLab Issues: choose a project' });
  await expect(dialog.getByRole('alert')).toContainText('This target is not connected to GitLab');
  await expect(dialog.getByRole('link', { name: 'Open the GitLab integration' })).toHaveAttribute(
    'href',
    integrationPath(),
  );
});

test('a grant revoked in GitLab shows the reconnect banner; Reconnect brings it back', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto(integrationPath());
  await page.getByRole('button', { name: 'Authorize' }).click();
  await approveOnGitlab(page);
  await expect(page.getByTestId('gitlab-connected-as')).toHaveText(`Connected as @alice on ${instanceName}`);

  // alice revokes Vulnbridge in GitLab; the next call that reaches GitLab finds out.
  await sandboxAdmin('POST', '/grants/revoke', { username: 'alice' });
  await page.goto(`/scans/${scanId}`);
  await page.getByRole('button', { name: 'GitLab Issues' }).click();
  const dialog = page.getByRole('dialog', { name: 'GitLab Issues: choose a project' });
  await expect(dialog.getByRole('alert').first()).toContainText('reconnect', { ignoreCase: true });
  await dialog.getByRole('link', { name: 'Open the GitLab integration' }).click();

  const banner = page.getByRole('alert').filter({ hasText: 'GitLab needs you to reconnect' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('paused, not lost');
  await expect(page.getByText('Reconnect needed', { exact: true })).toBeVisible();
  await expectAccessible(page, 'GitLab integration (reconnect needed)');
  await page.screenshot({ path: `${screenshots}/integration-reconnect.png` });

  await banner.getByRole('button', { name: 'Reconnect' }).click();
  await approveOnGitlab(page);
  await expect(page.getByRole('status').filter({ hasText: 'Connected to GitLab' })).toBeVisible();
  await expect(page.getByTestId('gitlab-connected-as')).toHaveText(`Connected as @alice on ${instanceName}`);
  await expect(banner).toBeHidden();
  await expect(page).toHaveURL(`${baseUrl()}${integrationPath()}`);
});
