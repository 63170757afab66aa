import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { capturePagesOnClose } from './capture.ts';

export const owner = {
  organizationName: 'Acme Security',
  name: 'Ada Lovelace',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};

export const reader = {
  name: 'Rita Reader',
  email: 'rita@acme.test',
  password: 'quiet lanterns drift 2024',
};

/** The one-time set-up code the server printed in its log (global-setup read it there). */
export function setupCode(): string {
  const code = process.env.VB_E2E_SETUP_CODE;
  if (!code) throw new Error('VB_E2E_SETUP_CODE is not set: run the tests with `npx playwright test`');
  return code;
}

/** The server global-setup started. */
export function baseUrl(): string {
  const url = process.env.VB_E2E_BASE_URL;
  if (!url) throw new Error('VB_E2E_BASE_URL is not set: run the tests with `npx playwright test`');
  return url;
}

/**
 * Runs axe (WCAG 2 A and AA) and fails on any serious or critical violation, listing them. With
 * `within`, only that part is checked (an open modal dialog: the page behind it is inert and dimmed).
 */
export async function expectAccessible(page: Page, what: string, within?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']);
  if (within) builder = builder.include(within);
  const results = await builder.analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `axe violations on the ${what} page`).toEqual([]);
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Targets' })).toBeVisible();
}

export async function signOut(page: Page, userName: string): Promise<void> {
  await page.getByRole('button', { name: `User menu for ${userName}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/**
 * Makes an uncaught error in the page fail the test. React reports errors it recovered from as a
 * wrapper; the page logs the wrapped cause to the console so the failure names it. Every spec calls it
 * before each test, so it also arranges (with VB_CAPTURE_DIR set) for the final HTML of the test's
 * hub pages to be saved for the secret scan.
 */
export async function failOnPageErrors(page: Page): Promise<void> {
  capturePagesOnClose(page.context(), baseUrl(), test.info());
  await page.addInitScript(() => {
    window.addEventListener('error', (event) => {
      const cause = (event.error as Error | undefined)?.cause;
      if (cause instanceof Error) console.error(`caused by: ${cause.stack ?? cause.message}`);
    });
  });
  const causes: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().startsWith('caused by:')) {
      causes.push(message.text());
    }
  });
  page.on('pageerror', (error) => {
    throw new Error(`uncaught error in the page: ${error.stack ?? error.message}\n${causes.join('\n')}`);
  });
}

/**
 * The set-up every hub spec shares: its pages open on the server global-setup started, and an uncaught
 * error in a page fails the test (see failOnPageErrors). With `serial`, the spec's tests run in order.
 */
export function hubSpec(options: { serial?: boolean } = {}): void {
  if (options.serial) test.describe.configure({ mode: 'serial' });
  test.use({ baseURL: process.env.VB_E2E_BASE_URL });
  test.beforeEach(({ page }) => failOnPageErrors(page));
}

/** The folder of the README's screenshots, made if missing. */
export function screenshotsDir(): string {
  const dir = 'docs/screenshots';
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Sets up the Owner when the server still needs set-up (a spec run alone, without the foundation spec). */
export async function ensureOwner(request: APIRequestContext): Promise<void> {
  const setup = await request.get(`${baseUrl()}/api/setup`);
  if ((await setup.json()).needsSetup) {
    const created = await request.post(`${baseUrl()}/api/setup`, { data: { ...owner, setupCode: setupCode() } });
    expect(created.ok()).toBe(true);
  }
}

/** Signs `person` in through the API; the headers its state-changing requests then need. */
export async function signInHeaders(
  request: APIRequestContext,
  person: { email: string; password: string },
): Promise<Record<string, string>> {
  const signedIn = await request.post(`${baseUrl()}/api/auth/sign-in`, {
    data: { email: person.email, password: person.password },
  });
  expect(signedIn.ok(), await signedIn.text()).toBe(true);
  return { 'X-CSRF-Token': ((await signedIn.json()) as { csrfToken: string }).csrfToken };
}

/** The headers for calling the hub's API with the page's session cookie and CSRF token. */
export async function sessionHeaders(page: Page): Promise<Record<string, string>> {
  const session = await page.request.get(`${baseUrl()}/api/auth/session`);
  expect(session.ok()).toBe(true);
  return { 'X-CSRF-Token': ((await session.json()) as { csrfToken: string }).csrfToken };
}
