// Settings → Audit log: an Owner filters the log (the filters go into the URL), pages through it, and
// the Export CSV link carries the same filters. Screenshots at 1280 and 390 px wide.
import { expect, test } from '@playwright/test';
import { baseUrl, ensureOwner, expectAccessible, hubSpec, owner, signIn } from './helpers.ts';

hubSpec();

test.beforeAll(({ request }) => ensureOwner(request));

test('an Owner filters the audit log, pages through it and exports what is shown as CSV', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  // 27 targets: 27 `target.created` events, more than one page of 25.
  const session = await (await page.request.get(`${baseUrl()}/api/auth/session`)).json();
  const tag = Date.now().toString(36);
  for (let i = 0; i < 27; i++) {
    const created = await page.request.post(`${baseUrl()}/api/targets`, {
      data: { name: `Audit ${tag} ${i}`, baseUrl: `https://audit-${tag}-${i}.example` },
      headers: { 'x-csrf-token': session.csrfToken },
    });
    expect(created.status()).toBe(201);
  }

  await page.goto('/settings/members');
  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/settings\/audit$/);
  const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();

  await page.getByLabel('Action').fill('target.');
  await page.getByLabel('Who').fill(owner.email);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/\/settings\/audit\?actor=ada%40acme\.test&action=target\.$/);
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText('target.created');
  await expect(rows.first()).toContainText(`Audit ${tag} 26`);
  await expect(rows.first()).toContainText('127.0.0.1');
  const exportLink = page.getByRole('link', { name: 'Export CSV' });
  await expect(exportLink).toHaveAttribute('href', '/api/audit-events.csv?actor=ada%40acme.test&action=target.');
  await expectAccessible(page, 'audit log');
  await page.screenshot({ path: 'docs/screenshots/settings-audit-log.png', fullPage: true });

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows.first()).toContainText(`Audit ${tag} 1`);
  await expect(page.getByRole('button', { name: 'Previous page' })).toBeEnabled();
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page).toHaveURL(/before=/);
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(`Audit ${tag} 26`);

  // A reload keeps the filters (they live in the URL).
  await page.reload();
  await expect(page.getByLabel('Action')).toHaveValue('target.');
  await expect(rows).toHaveCount(25);

  const csv = await page.request.get(`${baseUrl()}${await exportLink.getAttribute('href')}`);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0]).toMatch(/time,actor_email,/);
  expect(lines.filter((line) => line.includes(`Audit ${tag}`))).toHaveLength(27);
  expect(lines.slice(1).every((line) => line.includes('target.'))).toBe(true);

  // On a phone the events are a list of cards instead of a wide table.
  await page.setViewportSize({ width: 390, height: 844 });
  const cards = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem');
  await expect(cards).toHaveCount(25);
  await expect(cards.first()).toContainText(`Audit ${tag} 26`);
  await expect(page.getByRole('table', { name: 'Audit events' })).toBeHidden();
  await expectAccessible(page, 'audit log (narrow)');
  await page.screenshot({
    path: 'docs/screenshots/settings-audit-log-390.png',
    fullPage: true,
    clip: { x: 0, y: 0, width: 390, height: 1500 },
  });
});
