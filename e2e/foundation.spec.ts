// The foundation in a real browser against the real server: first-run set-up, sign-out, sign-in,
// targets (create, list, rename, delete), a Reader's read-only view, and axe on every page shown.
// Playwright runs the spec files in name order on one worker and this one asks for a hub not set up yet:
// a spec whose name sorts before "foundation" must not set the hub up (comments.spec makes its own
// organization in the database).
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { baseUrl, expectAccessible, failOnPageErrors, owner, reader, setupCode, signIn, signOut } from './helpers.ts';

const screenshots = 'docs/screenshots';
mkdirSync(screenshots, { recursive: true });

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: process.env.VB_E2E_BASE_URL });

// An uncaught error in the page fails the test that caused it.
test.beforeEach(({ page }) => failOnPageErrors(page));

test('the server is healthy and asks for set-up', async ({ request }) => {
  const health = await request.get(`${baseUrl()}/api/health`);
  expect(health.ok()).toBe(true);
  expect(await health.json()).toEqual({ status: 'ok', database: process.env.VB_E2E_DATABASE });
  const setup = await request.get(`${baseUrl()}/api/setup`);
  expect(await setup.json()).toEqual({ needsSetup: true });
});

test('first-run set-up creates the Owner and signs in; sign-out and sign-in work', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up Vulnbridge' })).toBeVisible();
  await expectAccessible(page, 'set-up');

  // A short password is refused on its field before anything is sent.
  await page.getByLabel('Set-up code').fill(setupCode());
  await page.getByLabel('Organization name').fill(owner.organizationName);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Toggle password visibility' }).blur();
  await page.screenshot({ path: `${screenshots}/setup.png` });
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('too short');
  await page.getByRole('button', { name: 'Create organization and sign in' }).click();
  await expect(page.getByText('Choose a password of at least 12 characters.')).toBeVisible();
  await expectAccessible(page, 'set-up with a field error');

  // The server refuses a password that contains the email address, and says why on the field.
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(`${owner.email} 2024!`);
  await page.getByRole('button', { name: 'Create organization and sign in' }).click();
  await expect(page.getByText('The password contains your e-mail address.')).toBeVisible();

  // A wrong set-up code is refused on its field, and nothing is created.
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(owner.password);
  await page.getByLabel('Set-up code').fill('AAAA-BBBB-CCCC');
  await page.getByRole('button', { name: 'Create organization and sign in' }).click();
  await expect(page.getByText(/That set-up code is not right/)).toBeVisible();
  await expectAccessible(page, 'set-up with a wrong code');

  await page.getByLabel('Set-up code').fill(setupCode());
  await page.getByRole('button', { name: 'Create organization and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Targets' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Vulnbridge');
  await expect(page.getByRole('banner')).toContainText(owner.organizationName);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('No targets yet')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/targets-empty.png` });

  await signOut(page, owner.name);
  await expectAccessible(page, 'sign-in');

  // A wrong password says so and what to do.
  await page.getByLabel('Email').fill(owner.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The email or password is not correct.');
  await page.screenshot({ path: `${screenshots}/sign-in.png` });

  await signIn(page, owner.email, owner.password);
  await expect(page).toHaveURL(/\/targets$/);
});

test('an Owner creates, lists, renames and deletes a target', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await expectAccessible(page, 'empty targets');

  await page.getByRole('button', { name: 'New target' }).click();
  const dialog = page.getByRole('dialog', { name: 'New target' });
  await dialog.getByLabel('Name').fill('Customer portal');
  await dialog.getByLabel('Base URL').fill('not a url');
  await dialog.getByRole('button', { name: 'Create target' }).click();
  await expect(dialog.getByText('starting with http:// or https://')).toBeVisible();
  await dialog.getByLabel('Base URL').fill('https://portal.example.com/');
  await dialog.getByRole('button', { name: 'Create target' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: /Customer portal/ });
  await expect(row).toContainText('https://portal.example.com');

  // The same base URL again: the server's conflict shows on the Base URL field.
  await page.getByRole('button', { name: 'New target' }).click();
  await dialog.getByLabel('Name').fill('Portal again');
  await dialog.getByLabel('Base URL').fill('https://portal.example.com');
  await dialog.getByRole('button', { name: 'Create target' }).click();
  await expect(dialog.getByText(/already exists/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'New target' }).click();
  await dialog.getByLabel('Name').fill('Admin console');
  await dialog.getByLabel('Base URL').fill('https://admin.example.com');
  await dialog.getByRole('button', { name: 'Create target' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: /Admin console/ })).toBeVisible();
  await expectAccessible(page, 'targets');
  await page.screenshot({ path: `${screenshots}/targets.png` });

  await page.getByRole('button', { name: 'Rename Customer portal' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename target' });
  await expect(rename.getByLabel('Name')).toHaveValue('Customer portal');
  await rename.getByLabel('Name').fill('Customer portal (prod)');
  await rename.getByRole('button', { name: 'Save name' }).click();
  await expect(rename).toBeHidden();
  await expect(page.getByRole('row', { name: /Customer portal \(prod\)/ })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Customer portal (prod)' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete target?' });
  await expect(confirm).toContainText('all its scans');
  await confirm.getByRole('button', { name: 'Delete target and its scans' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('row', { name: /Customer portal/ })).toHaveCount(0);

  // Still there after a reload: the list comes from the server.
  await page.reload();
  await expect(page.getByRole('row', { name: /Admin console/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Customer portal/ })).toHaveCount(0);
  await signOut(page, owner.name);
});

test('an Owner invites a Reader, who accepts and sees targets but no write buttons', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('tab', { name: 'Members', selected: true })).toBeVisible();
  // Members join by invitation (issue #14): no password on the form; the link is shown once.
  await page.getByRole('button', { name: 'Invite member' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite member' });
  await dialog.getByLabel('Email').fill(reader.email);
  await dialog.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: /Reader/ }).click();
  await dialog.getByRole('button', { name: 'Create invitation link' }).click();
  const link = (await dialog.getByTestId('invitation-link').textContent()) ?? '';
  expect(link).toMatch(/\/invitations\/[\w-]{40,}$/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByTestId('pending-invitations').getByRole('row', { name: new RegExp(reader.email) }),
  ).toContainText('Reader');
  await expectAccessible(page, 'settings');
  await signOut(page, owner.name);

  await page.goto(link);
  await page.getByLabel('Your name').fill(reader.name);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(reader.password);
  await page.getByRole('button', { name: 'Create account and accept' }).click();
  await expect(page.getByRole('heading', { name: 'Targets' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Admin console/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New target' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Rename / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);
  await expectAccessible(page, 'targets as a Reader');

  // Keyboard: the first Tab reaches the skip link, which moves focus to the page content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scans' }).click();
  await expect(page.getByText('No scans yet')).toBeVisible();

  // The server ends the session (here: signed out from elsewhere): the next request lands on
  // sign-in, which says why.
  await page.context().clearCookies();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Targets' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Your session has ended.')).toBeVisible();
});

test('settings: API tokens show their secret once and can be revoked; jobs list for admins', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: `${screenshots}/targets-1920.png` });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.goto('/settings/tokens');
  await expect(page.getByRole('tab', { name: 'API tokens', selected: true })).toBeVisible();
  await expect(page.getByText('No API tokens')).toBeVisible();
  await page.getByRole('button', { name: 'New token' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });
  await dialog.getByLabel('Name').fill('GitLab CI');
  await expect(dialog.getByRole('checkbox', { name: /^Read/ })).toBeChecked();
  await dialog.getByRole('checkbox', { name: /^Write/ }).check();
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByText('Copy the token now: it will not be shown again.')).toBeVisible();
  const secret = (await dialog.getByTestId('token-secret').textContent()) ?? '';
  expect(secret.length).toBeGreaterThan(20);
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expectAccessible(page, 'token secret', '[role="dialog"]');
  await page.screenshot({ path: `${screenshots}/token-created.png` });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // The token works against the API, then stops working once revoked.
  const auth = { Authorization: `Bearer ${secret}` };
  expect((await page.request.get(`${baseUrl()}/api/targets`, { headers: auth })).status()).toBe(200);
  const row = page.getByRole('row', { name: /GitLab CI/ });
  await expect(row).toContainText('Active');
  await expect(row).toContainText('ReadWrite');
  // A token cannot make another token (token management needs a signed-in session).
  expect(
    (await page.request.post(`${baseUrl()}/api/tokens`, { headers: auth, data: { name: 'minted' } })).status(),
  ).toBe(403);
  await page.reload();
  await expect(row).not.toContainText('Never');
  await row.getByRole('button', { name: 'Revoke GitLab CI' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke token?' });
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('Revoked');
  expect((await page.request.get(`${baseUrl()}/api/targets`, { headers: auth })).status()).toBe(401);
  await expectAccessible(page, 'API tokens');

  await page.getByRole('tab', { name: 'Jobs' }).click();
  await expect(page).toHaveURL(/\/settings\/jobs$/);
  await expect(page.getByRole('radiogroup', { name: 'Job state' })).toBeVisible();
  await expect(page.getByText('No dead jobs')).toBeVisible();
  await expectAccessible(page, 'jobs');
  await page.getByRole('tab', { name: 'Members' }).click();
  await expect(page.getByRole('row', { name: new RegExp(reader.name) })).toBeVisible();
  await page.screenshot({ path: `${screenshots}/settings-members.png` });
});

test('an Owner changes a member’s role', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto('/settings/members');
  const row = page.getByRole('row', { name: new RegExp(reader.name) });
  await row.getByRole('combobox', { name: `Role of ${reader.name}` }).click();
  await page.getByRole('option', { name: /Contributor/ }).click();
  await expect(row.getByRole('combobox', { name: `Role of ${reader.name}` })).toHaveValue('Contributor');
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(reader.name) }).getByRole('combobox')).toHaveValue(
    'Contributor',
  );
});

test('repeated wrong passwords are throttled, and the page says how long to wait', async ({ page }) => {
  await page.goto('/sign-in');
  const email = 'nobody@acme.test';
  await page.getByLabel('Email').fill(email);
  const alert = page.getByRole('alert');
  // The server allows a few failures, then blocks the (email, address) pair for a while.
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(`wrong password ${attempt}`);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/sign-in'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    if ((await answered).status() === 429) break;
  }
  await expect(alert).toContainText('Too many attempts in a short time.');
  await expect(alert).toContainText(/Wait \d+ seconds? and try again\./);
});
