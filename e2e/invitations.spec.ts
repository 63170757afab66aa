// Invitations (issue #14, item 1): an Owner invites by e-mail, the link is shown once, the invited person
// accepts it in a browser of their own and is signed in to that organization; an existing account of
// another organization accepts with its own password, then picks and switches organizations.
//
// Works in two organizations of its own, made in the database, and removes them and their users at the
// end, so the hub is left as it was found (see comments.spec.ts).
import { mkdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type Db, openDatabase } from '../src/db/index.ts';
import { createOrganizationWithOwner } from '../src/services/index.ts';
import { baseUrl, expectAccessible, failOnPageErrors, signIn, signOut } from './helpers.ts';

const shots = 'test-results/invitations';
mkdirSync(shots, { recursive: true });

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: process.env.VB_E2E_BASE_URL });
test.beforeEach(({ page }) => failOnPageErrors(page));

const alpha = {
  organizationName: 'Invite Alpha',
  name: 'Ingrid Owner',
  email: 'ingrid@alpha.test',
  password: 'amber kettles hum at dusk',
};
const beta = {
  organizationName: 'Beta Labs',
  name: 'Bruno Beta',
  email: 'bruno@beta.test',
  password: 'violet ferns under slate',
};
const newcomer = { name: 'Nina Newcomer', email: 'nina@alpha.test', password: 'copper kestrel above wheatfields' };

let db: Db | undefined;
const organizations: string[] = [];

test.beforeAll(async () => {
  const url = process.env.VB_E2E_DATABASE_URL;
  if (!url) throw new Error('VB_E2E_DATABASE_URL is not set: run the tests with `npx playwright test`');
  db = openDatabase(url);
  for (const owner of [alpha, beta])
    organizations.push((await createOrganizationWithOwner(db.kysely, owner)).organization.id);
});

test.afterAll(async () => {
  if (!db) return;
  for (const id of organizations) await db.kysely.deleteFrom('organizations').where('id', '=', id).execute();
  await db.kysely.deleteFrom('users').where('email', 'in', [alpha.email, beta.email, newcomer.email]).execute();
  await db.close();
});

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  await failOnPageErrors(page);
  return page;
}

async function expectMenuSays(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: `User menu for ${name}` }).click();
  await expect(page.getByRole('menu')).toContainText(text);
  await page.keyboard.press('Escape');
}

test('an Owner invites by e-mail; the link is shown once; a new person accepts it in their own browser and is signed in there', async ({
  page,
  browser,
}) => {
  await signIn(page, alpha.email, alpha.password);
  await page.goto('/settings/members');
  await page.getByRole('button', { name: 'Invite member' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite member' });
  await expect(dialog.getByRole('textbox', { name: /password/i })).toHaveCount(0);
  await dialog.getByLabel('Email').fill(newcomer.email);
  await dialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: /Contributor/ }).click();
  await dialog.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(dialog.getByText('Copy the invitation link now: it will not be shown again.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  const link = (await dialog.getByTestId('invitation-link').textContent()) ?? '';
  const token = link.split('/invitations/')[1] ?? '';
  expect(token.length).toBeGreaterThanOrEqual(40);
  await expectAccessible(page, 'invitation link', '[role="dialog"]');
  await page.screenshot({ path: `${shots}/invite-link-1280.png` });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // Pending, with Revoke; the token is nowhere on the page any more, nor in a reopened dialog.
  const pending = page.getByTestId('pending-invitations');
  await expect(pending.getByRole('row', { name: new RegExp(newcomer.email) })).toContainText('Contributor');
  await expect(pending.getByRole('button', { name: `Revoke the invitation of ${newcomer.email}` })).toBeVisible();
  await expect(page.locator('body')).not.toContainText(token);
  await page.getByRole('button', { name: 'Invite member' }).click();
  await expect(page.getByRole('dialog', { name: 'Invite member' }).getByLabel('Email')).toHaveValue('');
  await page.keyboard.press('Escape');
  await expectAccessible(page, 'members with a pending invitation');
  await page.screenshot({ path: `${shots}/members-pending-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(pending.getByRole('row', { name: new RegExp(newcomer.email) })).toBeVisible();
  await page.screenshot({ path: `${shots}/members-pending-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();

  // The invited person, in a browser of their own.
  const invited = await freshPage(browser);
  await invited.goto(link);
  await expect(invited.getByRole('heading', { name: `Join ${alpha.organizationName}` })).toBeVisible();
  await expect(invited.getByRole('main')).toContainText(
    `${alpha.name} invited ${newcomer.email} to ${alpha.organizationName} as Contributor`,
  );
  await expect(invited.getByLabel('Email')).toHaveValue(newcomer.email);
  await expectAccessible(invited, 'accept invitation');
  await invited.screenshot({ path: `${shots}/accept-new-1280.png`, fullPage: true });
  await invited.setViewportSize({ width: 390, height: 844 });
  await invited.screenshot({ path: `${shots}/accept-new-390.png`, fullPage: true });
  await invited.getByLabel('Your name').fill(newcomer.name);
  await invited.getByRole('textbox', { name: 'Password', exact: true }).fill(newcomer.password);
  await invited.getByRole('button', { name: 'Create account and accept' }).click();
  await expect(invited.getByRole('heading', { name: 'Targets' })).toBeVisible();
  await invited.setViewportSize({ width: 1280, height: 800 });
  await expectMenuSays(invited, newcomer.name, `Contributor of ${alpha.organizationName}`);

  // Used once: the link now says so.
  await invited.goto(link);
  await expect(invited.getByText('This invitation cannot be used.')).toBeVisible();
  await expect(invited.getByText(/already been used/)).toBeVisible();
  await invited.context().close();

  await page.reload();
  await expect(
    page.getByRole('row', { name: new RegExp(newcomer.name) }).getByLabel(`Role of ${newcomer.name}`),
  ).toHaveValue('Contributor');
  await expect(page.getByTestId('pending-invitations')).toHaveCount(0);
});

test('an account of another organization accepts with its own password, then picks and switches organizations', async ({
  page,
  browser,
}) => {
  await signIn(page, alpha.email, alpha.password);
  const session = (await (await page.request.get(`${baseUrl()}/api/auth/session`)).json()) as { csrfToken: string };
  const created = await page.request.post(`${baseUrl()}/api/invitations`, {
    headers: { 'X-CSRF-Token': session.csrfToken },
    data: { email: beta.email, role: 'reader' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { url } = (await created.json()) as { url: string };

  const bruno = await freshPage(browser);
  await bruno.goto(url);
  await expect(bruno.getByRole('heading', { name: `Join ${alpha.organizationName}` })).toBeVisible();
  await expect(bruno.getByText('This email already has a Vulnbridge account.')).toBeVisible();
  await expect(bruno.getByLabel('Your name')).toHaveCount(0);
  await bruno.screenshot({ path: `${shots}/accept-existing-1280.png`, fullPage: true });
  await bruno.getByRole('textbox', { name: 'Password', exact: true }).fill('not the right password at all');
  await bruno.getByRole('button', { name: 'Sign in and accept' }).click();
  await expect(bruno.getByText('The password is wrong for this account.')).toBeVisible();
  await expectAccessible(bruno, 'accept invitation with a wrong password');
  await bruno.getByRole('textbox', { name: 'Password', exact: true }).fill(beta.password);
  await bruno.getByRole('button', { name: 'Sign in and accept' }).click();
  await expect(bruno.getByRole('heading', { name: 'Targets' })).toBeVisible();
  await expectMenuSays(bruno, beta.name, `Reader of ${alpha.organizationName}`);

  // Switch from the user menu: a new session in the other organization.
  await bruno.getByRole('button', { name: `User menu for ${beta.name}` }).click();
  await expect(bruno.getByRole('menu')).toContainText('Switch organization');
  await bruno.screenshot({ path: `${shots}/switch-menu-1280.png` });
  await bruno.getByRole('menuitem', { name: /Beta Labs/ }).click();
  await expect(bruno.getByRole('heading', { name: 'Targets' })).toBeVisible();
  await expectMenuSays(bruno, beta.name, `Owner of ${beta.organizationName}`);
  await expect(bruno.getByRole('button', { name: 'New target' })).toBeVisible();

  // Signing in again: the account picks the organization.
  await signOut(bruno, beta.name);
  await bruno.getByLabel('Email').fill(beta.email);
  await bruno.getByRole('textbox', { name: 'Password', exact: true }).fill(beta.password);
  await bruno.getByRole('button', { name: 'Sign in' }).click();
  await expect(bruno.getByRole('heading', { name: 'Choose an organization' })).toBeVisible();
  await expectAccessible(bruno, 'organization picker');
  await bruno.setViewportSize({ width: 390, height: 844 });
  await bruno.screenshot({ path: `${shots}/picker-390.png`, fullPage: true });
  await bruno.setViewportSize({ width: 1280, height: 800 });
  await bruno.screenshot({ path: `${shots}/picker-1280.png`, fullPage: true });
  await bruno.getByRole('button', { name: new RegExp(alpha.organizationName) }).click();
  await expect(bruno.getByRole('heading', { name: 'Targets' })).toBeVisible();
  await expectMenuSays(bruno, beta.name, `Reader of ${alpha.organizationName}`);
  await expect(bruno.getByRole('button', { name: 'New target' })).toHaveCount(0);
  await bruno.context().close();
});
