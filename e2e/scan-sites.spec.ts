// Real scanners' reports in the browser (issue #15): the upload dialog's choice for a report of several
// sites (only this target's site / all into this target), what was left out and the warnings in the
// result and on the scan report, and an empty report marked empty in the scans list and its header.
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { ensureOwner, expectAccessible, hubSpec, owner, signIn } from './helpers.ts';

hubSpec({ serial: true });

test.beforeAll(({ request }) => ensureOwner(request));

/** A ZAP JSON report of two sites, 2 instances each, with no CWE ids. */
function twoSites(): Buffer {
  const site = (name: string, k: number) => ({
    '@name': name,
    '@host': new URL(name).hostname,
    '@port': '443',
    '@ssl': 'true',
    alerts: [
      {
        pluginid: `1000${k}`,
        alert: `Alert ${k}`,
        riskcode: '2',
        confidence: '2',
        desc: '<p>d</p>',
        solution: '<p>s</p>',
        instances: [1, 2].map((i) => ({ uri: `${name}/p/${i}`, method: 'GET', param: 'q' })),
      },
    ],
  });
  return Buffer.from(
    JSON.stringify({
      '@version': '2.15.0',
      '@generated': 'Wed, 3 Dec 2025 12:00:00',
      site: [site('https://mine.example', 1), site('https://other.example', 2)],
    }),
  );
}

async function openUpload(page: Page, target: string) {
  await page.goto('/targets');
  await page.getByRole('link', { name: target }).click();
  await page.getByRole('button', { name: 'Upload report' }).first().click();
  return page.getByRole('dialog', { name: 'Upload a scan report' });
}

test('a report of two sites imports this target’s site, says what was left out, or all on request', async ({
  page,
}) => {
  await signIn(page, owner.email, owner.password);
  await page.goto('/targets');
  await page.getByRole('button', { name: 'New target' }).click();
  const create = page.getByRole('dialog', { name: 'New target' });
  await create.getByLabel('Name').fill('Two sites');
  await create.getByLabel('Base URL').fill('https://mine.example');
  await create.getByRole('button', { name: 'Create target' }).click();
  await expect(create).toBeHidden();

  let dialog = await openUpload(page, 'Two sites');
  await expect(dialog.getByRole('radio', { name: "Only this target's site" })).toBeChecked();
  await dialog
    .locator('input[type=file]')
    .setInputFiles({ name: 'two-sites.json', mimeType: 'application/json', buffer: twoSites() });
  await expectAccessible(page, 'upload dialog with the sites choice', '[role="dialog"]');
  await dialog.getByRole('button', { name: 'Upload and import' }).click();
  await expect(dialog.getByText('Report imported')).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId('result-findings')).toHaveText('2');
  const warnings = dialog.getByTestId('result-warnings');
  await expect(warnings).toContainText('2 findings on other sites were left out: https://other.example (2)');
  await expect(warnings).toContainText('2 alerts had no CWE');
  await dialog.getByRole('link', { name: 'Open the scan report' }).click();
  await expect(page.getByTestId('scan-warnings')).toContainText(
    '2 findings on other sites were left out: https://other.example (2)',
  );

  dialog = await openUpload(page, 'Two sites');
  await dialog.getByRole('radio', { name: 'All into this target' }).check();
  await dialog
    .locator('input[type=file]')
    .setInputFiles({ name: 'two-sites.json', mimeType: 'application/json', buffer: twoSites() });
  await dialog.getByRole('button', { name: 'Upload and import' }).click();
  await expect(dialog.getByText('Report imported')).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId('result-findings')).toHaveText('4');
  await expect(dialog.getByTestId('result-warnings')).not.toContainText('left out');
});

test('an empty report is an empty scan: no missing findings, an Empty badge in the list and the header', async ({
  page,
}) => {
  await signIn(page, owner.email, owner.password);
  const dialog = await openUpload(page, 'Two sites');
  await dialog
    .locator('input[type=file]')
    .setInputFiles(fileURLToPath(new URL('../test/fixtures/reports/zap-defectdojo-3.xml', import.meta.url)));
  await dialog.getByRole('button', { name: 'Upload and import' }).click();
  await expect(dialog.getByText('Report imported')).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId('result-empty')).toContainText('does not mean anything was fixed');
  await expect(dialog.getByTestId('result-missing')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await page.goto('/scans');
  const row = page.getByRole('row', { name: /zap-defectdojo-3\.xml/ });
  await expect(row.getByTestId('scan-empty')).toHaveText('Empty');
  await expect(row).toContainText('Not compared (empty report)');
  await expect(row).not.toContainText('missing');
  await expectAccessible(page, 'scans with an empty scan');
  await row.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('scan-empty').first()).toHaveText('Empty');
});
