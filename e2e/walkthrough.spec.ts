// The story of DESIGN §1 as a new user walks it, against a real `vulnbridge demo` started by this spec
// (a child process with its own temp data directory and free ports, so it never meets global-setup's
// hub or a developer's demo). The user signs in with the credentials the demo printed, opens the scan
// report of an imported example, authorizes GitLab (signing in to the sandbox as the printed user),
// picks a project with and without group resources, creates issues for a vulnerability, opens one in the
// sandbox, comments on both sides, closes it in the sandbox and watches Created Issues follow. Ctrl-C
// (SIGINT) then stops both servers cleanly. Runs at 1280×800 and 1920×1080, with axe on the main
// screens, and saves each screen to docs/screenshots/walkthrough-<n>-<name>.png (1920/ for the large size).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect as baseExpect, type Page } from '@playwright/test';
import type { DemoInfo } from '../src/cli/commands/demo.ts';
import { expectAccessible, failOnPageErrors } from './helpers.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// Full page loads (after the OAuth round trip, in a second tab) on a shared, loaded machine can take
// longer than the config's 10 s; nothing here waits on a fixed time.
const expect = baseExpect.configure({ timeout: 20_000 });

interface Demo {
  info: DemoInfo;
  /** Sends SIGINT (Ctrl-C) and resolves with how the process ended. */
  interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `vulnbridge demo --reset --json` on free ports in a fresh temp directory; resolves once it printed its JSON line. */
async function startDemo(dataDir: string): Promise<{ demo: Demo; child: ChildProcess }> {
  const args = [
    'bin/vulnbridge.js',
    'demo',
    '--reset',
    '--json',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--sandbox-port',
    '0',
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const info = await new Promise<DemoInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vulnbridge demo printed no JSON line within 90 s:\n${stdout}\n${stderr}`));
    }, 90_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l, i, all) => i < all.length - 1 && l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as DemoInfo);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`vulnbridge demo ended (${code ?? signal}) before it was ready:\n${stdout}\n${stderr}`));
    });
  });
  const interrupt = async () => {
    child.kill('SIGINT');
    return { ...(await exited), stderr };
  };
  return { demo: { info, interrupt }, child };
}

const test = base.extend<{ demo: Demo }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  demo: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vb-demo-'));
    const started = await startDemo(dataDir).catch((error: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    });
    try {
      await use(started.demo);
    } finally {
      const { child } = started;
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  baseURL: async ({ demo }, use) => use(demo.info.hubUrl),
});

test.beforeEach(({ page }) => failOnPageErrors(page));

const scanFile = 'zap-anubissbe-1.json';
const vulnerability = { name: 'Cross Site Scripting (Reflected)', findings: 2 };
const projectPath = 'acme/platform/security/dvwa';
// axe runs at the first size only: the pages and their contrast are the same at both, and each run
// costs seconds on a loaded machine.
const sizes = [
  { width: 1280, height: 800, dir: 'docs/screenshots', axe: true },
  { width: 1920, height: 1080, dir: 'docs/screenshots/1920', axe: false },
];

/** Calls the demo sandbox's GitLab API as `username` (the personal access token the demo printed). */
async function gitlab(info: DemoInfo, username: string, path: string): Promise<unknown> {
  const token = info.sandbox.users.find((u) => u.username === username)?.token ?? '';
  const response = await fetch(`${info.sandbox.url}/api/v4${path}`, { headers: { 'PRIVATE-TOKEN': token } });
  if (!response.ok) throw new Error(`sandbox GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Whether something accepts TCP connections on the URL's port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits for two frames, so the page has laid out before a screenshot. */
async function shoot(page: Page, path: string, fullPage = false): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path, fullPage });
}

for (const size of sizes) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });
    // For the whole test with its fixtures (the demo starts before beforeEach's page): measured
    // 5.7-5.9 min per test with the 2 cores shared at load 20-27; far less on a quiet machine.
    test.describe.configure({ timeout: 420_000 });

    test('a new user walks the whole story on `vulnbridge demo`, and Ctrl-C stops it cleanly', async ({
      page,
      context,
      demo,
    }) => {
      const { info } = demo;
      const alice = info.sandbox.users.find((u) => u.username === 'alice');
      if (!alice) throw new Error('the demo printed no sandbox user alice');
      mkdirSync(size.dir, { recursive: true });
      const shot = (n: number, name: string, on: Page = page, fullPage = false) =>
        shoot(on, `${size.dir}/walkthrough-${n}-${name}.png`, fullPage);
      const accessible = (what: string, within?: string) =>
        size.axe ? expectAccessible(page, what, within) : Promise.resolve();

      // 1. Sign in with what the demo printed: the demo organization, its target and imported scans.
      await page.goto('/');
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await page.getByLabel('Email').fill(info.signIn.email);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(info.signIn.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: 'Targets' })).toBeVisible();
      await page.getByRole('link', { name: info.target.name }).click();
      await expect(page.getByRole('heading', { name: info.target.name, level: 1 })).toBeVisible();
      await expect(page.getByText(info.target.baseUrl)).toBeVisible();
      const targetPath = new URL(page.url()).pathname;
      await expect(
        page
          .getByRole('table')
          .getByRole('row')
          .filter({ hasText: /\.json/ }),
      ).toHaveCount(info.imported.length);

      // 2. The scan report of the imported ZAP example: vulnerabilities by severity, each with its findings.
      await page.getByRole('row').filter({ hasText: scanFile }).getByRole('link').click();
      await expect(page).toHaveURL(/\/scans\/[^/?]+$/);
      const scanPath = new URL(page.url()).pathname;
      await expect(page.getByRole('heading', { name: `Scan of ${info.target.name}`, level: 1 })).toBeVisible();
      await expect(page.getByText(scanFile)).toBeVisible();
      await expect(page.getByTestId('severity-high')).toContainText('3 vulnerabilities');
      const vulnerabilities = page.getByRole('region', { name: 'Vulnerabilities' });
      await vulnerabilities.getByRole('link', { name: vulnerability.name }).click();
      const panel = page.getByTestId('vulnerability-panel');
      await expect(panel.getByRole('heading', { name: vulnerability.name })).toBeVisible();
      await expect(panel.getByRole('heading', { name: `Findings (${vulnerability.findings})` })).toBeVisible();
      await panel.locator('li[aria-posinset="1"]').getByRole('button').click();
      const drawer = page.getByRole('dialog', { name: /^Finding VB-[A-Z]{6}\d{6}$/ });
      await expect(drawer.getByTestId('finding-url')).toContainText('http://localhost:3000/');
      await expect(drawer.getByTestId('finding-method')).toHaveText(/^(GET|POST)$/);
      await drawer.getByRole('button', { name: 'Close finding' }).click();
      await expect(drawer).toBeHidden();
      await accessible('scan report');
      // The shot starts at the Vulnerabilities list (just under the 60 px header): HIGH first, the open
      // vulnerability with its findings.
      await vulnerabilities.evaluate((list) =>
        window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY - 76),
      );
      await shot(1, 'scan-report');

      // 3. The target's GitLab integration: Authorize, sign in to the sandbox as the printed user, approve.
      await page.goto(targetPath);
      await page.getByRole('link', { name: 'GitLab integration' }).click();
      await expect(page.getByRole('heading', { name: 'GitLab integration' })).toBeVisible();
      await expect(page.getByText('Not connected', { exact: true })).toBeVisible();
      await expect(page.getByRole('combobox', { name: 'GitLab instance' })).toHaveValue(
        `${info.sandbox.instanceName} (${new URL(info.sandbox.url).host})`,
      );
      await page.getByRole('button', { name: 'Authorize' }).click();
      await expect(page).toHaveURL(new RegExp(`^${info.sandbox.url}/users/sign_in`));
      await page.getByLabel('Username or primary email').fill(alice.username);
      await page.getByLabel('Password').fill(alice.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('heading', { name: /^Authorize .+ to use your account\?$/ })).toBeVisible();
      await expect(page.getByRole('listitem').filter({ hasText: /^api$/ })).toBeVisible();
      await page.getByRole('button', { name: /^Authorize / }).click();
      await expect(page).toHaveURL(new RegExp(`^${info.hubUrl}${targetPath}/integrations(\\?|$)`));
      const connected = page.getByRole('status').filter({ hasText: 'Connected to GitLab' });
      await expect(connected).toBeVisible();
      await expect(page.getByTestId('gitlab-connected-as')).toHaveText(
        `Connected as @alice on ${info.sandbox.instanceName}`,
      );
      await shot(2, 'integration-settings');
      await connected.getByRole('button', { name: 'Dismiss' }).click();
      await accessible('GitLab integration');
      // The hub now shows under alice's authorized applications in GitLab, where she can revoke it.
      const gitlabTab = await context.newPage();
      await gitlabTab.goto(`${info.sandbox.url}/-/user_settings/applications`);
      await expect(gitlabTab.getByRole('row').filter({ hasText: 'api' })).toHaveCount(1);
      await expect(
        gitlabTab.getByRole('row').filter({ hasText: 'api' }).getByRole('button', { name: 'Revoke' }),
      ).toBeVisible();

      // 4. GitLab Issues on the scan report: the project list without, then with group resources.
      await page.goto(scanPath);
      await page.getByRole('button', { name: 'GitLab Issues' }).click();
      const picker = page.getByRole('dialog', { name: 'GitLab Issues: choose a project' });
      const radios = picker.getByTestId('project-list').getByRole('radio');
      await expect(radios.first()).toBeVisible({ timeout: 30_000 }); // the first page comes from GitLab
      await expect(picker.getByText(/^\d+ projects shown; scroll for more\.$/)).toBeVisible();
      await picker.getByRole('searchbox', { name: 'Search projects' }).fill('dvwa');
      await expect(radios).toHaveCount(1);
      await expect(picker.getByRole('radio', { name: projectPath })).toBeVisible();
      const groups = picker.getByRole('switch', { name: 'Include group resources' });
      await expect(groups).not.toBeChecked();
      await groups.check({ force: true });
      await expect(picker.getByText('1 project shown.')).toBeVisible();
      await expect(radios).toHaveCount(1); // the project is listed once, not again for its group
      await picker.getByRole('radio', { name: projectPath }).click();
      await expect(picker).toContainText(`Selected: ${projectPath}`);
      await accessible('project picker', '[role="dialog"]');
      await shot(3, 'project-picker');
      await picker.getByRole('button', { name: 'Save' }).click();
      await expect(picker.getByRole('status')).toContainText('Registered a project webhook');
      await picker.getByRole('button', { name: 'Done' }).click();
      await expect(picker).toBeHidden();
      await expect(page.getByTestId('scan-gitlab-project')).toContainText(projectPath);

      // 5. Create Issue for one vulnerability: one issue per finding, with progress to the end.
      await vulnerabilities.getByRole('link', { name: vulnerability.name }).click();
      await expect(panel.getByRole('heading', { name: vulnerability.name })).toBeVisible();
      await panel.getByRole('button', { name: 'Create Issue' }).click();
      const create = page.getByRole('dialog', { name: 'Create Issue' });
      await expect(create.getByTestId('issue-count')).toContainText(
        `One GitLab issue per finding: ${vulnerability.findings} issues`,
      );
      await expect(create.getByTestId('issue-count')).toContainText(projectPath);
      await accessible('Create Issue popup', '[role="dialog"]');
      await create.getByRole('button', { name: `Create ${vulnerability.findings} issues` }).click();
      await expect(create.getByTestId('push-status')).toContainText(
        `Finished: ${vulnerability.findings} issues created.`,
        { timeout: 30_000 },
      );
      await expect(create.getByRole('progressbar', { name: 'Issues pushed' })).toHaveAttribute(
        'aria-valuenow',
        String(vulnerability.findings),
      );
      await shot(4, 'create-issue-progress');
      const project = (await gitlab(info, 'alice', `/projects/${encodeURIComponent(projectPath)}`)) as { id: number };
      const inGitlab = (await gitlab(
        info,
        'alice',
        `/projects/${project.id}/issues?labels=Vulnbridge&state=all&per_page=100`,
      )) as { labels: string[] }[];
      expect(inGitlab).toHaveLength(vulnerability.findings);
      for (const issue of inGitlab) expect(issue.labels.filter((l) => /^VB-[A-Z]{6}\d{6}$/.test(l))).toHaveLength(1);
      await create.getByRole('link', { name: 'Open Created Issues' }).click();

      // 6. Created Issues: every issue OPEN, with its project and a link into GitLab.
      await expect(page.getByRole('heading', { name: 'Created Issues', level: 1 })).toBeVisible();
      const rows = page.getByTestId('created-issues').locator('tbody tr');
      await expect(rows).toHaveCount(vulnerability.findings);
      await expect(page.getByTestId('issue-state').filter({ hasText: 'OPEN' })).toHaveCount(vulnerability.findings);
      await expect(rows.first()).toContainText(projectPath);
      await accessible('Created Issues');
      await shot(5, 'created-issues');
      const publicId = (await rows.first().getAttribute('data-public-id')) ?? '';
      expect(publicId).toMatch(/^VB-[A-Z]{6}\d{6}$/);

      // 7. The issue in GitLab: the link opens a new tab on the sandbox, where alice is signed in.
      const opened = context.waitForEvent('page');
      await rows
        .first()
        .getByRole('link', { name: /opens in GitLab in a new tab$/ })
        .click();
      const issueTab = await opened;
      await expect(issueTab).toHaveURL(new RegExp(`^${info.sandbox.url}/${projectPath}/-/issues/\\d+$`));
      await expect(issueTab.getByRole('heading', { level: 1 })).toContainText(vulnerability.name);
      await expect(issueTab.getByTestId('description')).toContainText(publicId);
      await expect(
        issueTab.getByText(`Labels: ${publicId}, Vulnbridge`).or(issueTab.getByText(`Labels: Vulnbridge, ${publicId}`)),
      ).toBeVisible();
      await gitlabTab.close();

      // Comments both ways: the finding's drawer holds the issue's thread; the hub posts as alice.
      await rows.first().getByRole('link', { name: publicId }).click();
      await expect(page.getByTestId('finding-public-id')).toHaveText(publicId);
      const thread = page.getByRole('dialog').getByTestId('comment-thread');
      await expect(thread).toBeVisible();
      const hubComment = 'Reproduced on staging; a fix is planned for the next release.';
      await thread.getByLabel('Add a comment').fill(hubComment);
      await thread.getByRole('button', { name: 'Comment', exact: true }).click();
      const mine = thread.getByTestId('comment').filter({ hasText: hubComment });
      await expect(mine.getByTestId('comment-state')).toHaveAttribute('data-state', 'posted', { timeout: 15_000 });
      await expect(mine.getByTestId('comment-username')).toHaveText('posted as @alice');
      // In GitLab it is alice's note; she answers there, and the open drawer shows the answer live, once.
      await issueTab.reload();
      await expect(issueTab.locator('.note:not(.system)').filter({ hasText: hubComment })).toContainText('@alice');
      const gitlabComment = 'Confirmed by the web team: the search field echoes input unencoded.';
      await issueTab.getByLabel('Comment').fill(gitlabComment);
      await issueTab.getByRole('button', { name: 'Comment' }).click();
      await expect(issueTab.locator('.note:not(.system)').filter({ hasText: gitlabComment })).toContainText('@alice');
      const theirs = thread.getByTestId('comment').filter({ hasText: gitlabComment });
      await expect(theirs).toContainText('via GitLab', { timeout: 15_000 });
      await expect(thread.getByTestId('comment')).toHaveCount(2);
      await accessible('finding with its comment thread', '[role="dialog"]');
      await thread.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await shot(6, 'comment-thread');
      // The sandbox's issue page whole: title, labels, the description Vulnbridge wrote, both comments.
      await shot(7, 'gitlab-issue', issueTab, true);

      // alice closes the issue in GitLab; Created Issues, open in the hub's tab, follows without a reload.
      await page.getByRole('dialog').getByRole('button', { name: 'Close finding' }).click();
      await page.getByRole('link', { name: 'Created Issues' }).click();
      await expect(page.getByRole('heading', { name: 'Created Issues', level: 1 })).toBeVisible();
      const closed = page.locator(`tr[data-public-id="${publicId}"]`).getByTestId('issue-state');
      await expect(closed).toHaveText('OPEN');
      await issueTab.getByRole('button', { name: 'Close issue' }).click();
      await expect(issueTab.getByText('Closed', { exact: true })).toBeVisible();
      await expect(closed).toHaveText('CLOSED', { timeout: 15_000 });
      await expect(page.getByTestId('issue-state').filter({ hasText: 'OPEN' })).toHaveCount(vulnerability.findings - 1);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(page.getByTestId('refresh-result')).toContainText(`${vulnerability.findings} issues refreshed`);
      await expect(closed).toHaveText('CLOSED');
      await accessible('Created Issues (one closed)');

      // Ctrl-C stops both: exit code 0, neither port answers, the sandbox's state is saved.
      const ended = await demo.interrupt();
      expect(ended, ended.stderr).toMatchObject({ code: 0, signal: null });
      expect(ended.stderr).toContain('SIGINT, stopping the hub and the GitLab sandbox');
      expect(await listening(info.hubUrl)).toBe(false);
      expect(await listening(info.sandbox.url)).toBe(false);
      expect(existsSync(join(info.dataDir, 'gitlab-sandbox.json'))).toBe(true);
    });
  });
}
