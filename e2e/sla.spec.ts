// Settings → SLA: an Administrator sets the days until due per severity; the value is stored and shown.
import { expect, test } from '@playwright/test';
import { baseUrl, ensureOwner, expectAccessible, hubSpec, owner, signIn } from './helpers.ts';

hubSpec();

test.beforeAll(({ request }) => ensureOwner(request));

test('an Owner changes the per-severity SLA that gives new issues their due date', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await page.goto('/settings/sla');
  const high = page.getByLabel('Days until due for High findings');
  await expect(high).toHaveValue('30');
  await high.fill('14');
  await page.getByLabel('Days until due for Low findings').fill('');
  await page.getByRole('button', { name: 'Save SLA' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expectAccessible(page, 'SLA settings');
  await page.screenshot({ path: 'docs/screenshots/settings-sla.png' });
  const stored = await page.request.get(`${baseUrl()}/api/settings`);
  expect((await stored.json()).slaDays).toMatchObject({ high: 14, low: null, critical: 7 });
  // Put the defaults back for the other specs.
  await high.fill('30');
  await page.getByLabel('Days until due for Low findings').fill('180');
  await page.getByRole('button', { name: 'Save SLA' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
});
