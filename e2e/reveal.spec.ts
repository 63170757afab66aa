// Issue #14, item 5, in a real browser: a finding whose request carries Authorization, Cookie and a
// token parameter shows `[masked: …]` placeholders; the Owner (Contributor or above) clicks "Reveal
// secrets" and sees the values as the scanner wrote them, then masks them again; a Reader sees the
// placeholders and no button. Nothing from the scanner is rendered as HTML. Screenshots at 1280 and
// 390 px wide.
import { expect, type Page, test } from '@playwright/test';
import { recordSecret } from '../test/support/capture.ts';
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

const screenshots = screenshotsDir();

hubSpec({ serial: true });

const SECRETS = {
  bearer: 'e2e-BEARER-0a1b2c3d4e5f',
  cookie: 'e2e-COOKIE-9f8e7d6c5b',
  token: 'e2e-TOKEN-13572468abc',
  sid: 'e2e-SID-24681357def',
};
for (const value of Object.values(SECRETS)) recordSecret('scanner-secret', value);
const revealReader = { name: 'Remy Reader', email: 'remy@acme.test', password: 'amber harbour lights 2031' };

const uri = `http://vault.example/profile?tab=keys&api_token=${SECRETS.token}`;
function report(): Buffer {
  const instance = {
    uri,
    method: 'GET',
    param: 'api_token',
    attack: '',
    evidence: `Set-Cookie: sid=${SECRETS.sid}; Path=/\n<img src=x onerror="window.__vbXss=1">`,
    otherinfo: '',
    requestheader: `GET ${uri} HTTP/1.1\r\nHost: vault.example\r\nAuthorization: Bearer ${SECRETS.bearer}\r\nCookie: session=${SECRETS.cookie}\r\nAccept: text/html\r\n\r\n`,
    requestbody: '',
    responseheader: 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n',
    responsebody: '<b>profile</b>',
  };
  const alert = {
    pluginid: '10112',
    alert: 'Session Management Response Identified',
    name: 'Session Management Response Identified',
    riskcode: '1',
    confidence: '2',
    desc: '<p>A session token.</p>',
    solution: '',
    reference: '',
    instances: [instance],
  };
  return Buffer.from(
    JSON.stringify({
      '@programName': 'ZAP',
      '@version': '2.15.0',
      site: [
        { '@name': 'http://vault.example', '@host': 'vault.example', '@port': '80', '@ssl': 'false', alerts: [alert] },
      ],
    }),
  );
}

let targetId = '';
let readerId = '';
let findingUrl = '';

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await settle(page);
    await page.screenshot({ path: `${screenshots}/${name}${width === 390 ? '-390' : ''}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.beforeAll(({ request }) => ensureOwner(request));

test.afterAll(async ({ request }) => {
  const headers = await signInHeaders(request, owner);
  if (readerId) expect((await request.delete(`${baseUrl()}/api/members/${readerId}`, { headers })).status()).toBe(204);
  if (targetId) expect((await request.delete(`${baseUrl()}/api/targets/${targetId}`, { headers })).status()).toBe(204);
});

test('the Owner sees secrets masked, reveals them, and masks them again', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  const headers = await sessionHeaders(page);
  const target = await page.request.post(`${baseUrl()}/api/targets`, {
    headers,
    data: { name: 'Vault', baseUrl: 'http://vault.example' },
  });
  expect(target.status(), await target.text()).toBe(201);
  targetId = ((await target.json()) as { target: { id: string } }).target.id;
  const uploaded = await page.request.post(`${baseUrl()}/api/targets/${targetId}/scans`, {
    headers,
    multipart: { file: { name: 'vault-zap.json', mimeType: 'application/json', buffer: report() } },
  });
  expect(uploaded.status(), await uploaded.text()).toBe(201);
  const scanId = ((await uploaded.json()) as { imports: { scanId: string }[] }).imports[0]!.scanId;
  const scan = (await (await page.request.get(`${baseUrl()}/api/scans/${scanId}`)).json()) as {
    vulnerabilities: { id: string }[];
  };
  const vulnerabilityId = scan.vulnerabilities[0]!.id;
  const page1 = (await (
    await page.request.get(`${baseUrl()}/api/vulnerabilities/${vulnerabilityId}/findings`)
  ).json()) as { findings: { id: string; masked: string[] }[] };
  expect(page1.findings[0]!.masked).toEqual(expect.arrayContaining(['url', 'evidence', 'requestHeaders']));
  findingUrl = `/scans/${scanId}?vulnerability=${vulnerabilityId}&finding=${page1.findings[0]!.id}`;

  await page.goto(findingUrl);
  const drawer = page.getByRole('dialog');
  const detail = drawer.getByTestId('finding-detail');
  await expect(detail.getByTestId('secrets-notice')).toContainText('Secrets masked');
  const request = detail.getByRole('region', { name: 'Request' });
  await expect(request.getByRole('row', { name: /Authorization/ })).toContainText('Bearer [masked: Authorization]');
  await expect(request.getByRole('row', { name: /Cookie/ })).toContainText('session=[masked: Cookie]');
  await expect(detail.getByTestId('finding-url')).toHaveText(
    'http://vault.example/profile?tab=keys&api_token=[masked: api_token]',
  );
  await expect(detail.getByTestId('finding-evidence')).toContainText('Set-Cookie: sid=[masked: Set-Cookie]; Path=/');
  await expect(detail.getByTestId('masked-secret').first()).toBeVisible();
  // Scanner text stays text: the <img> in the evidence and the <b> in the body are shown, not made.
  await expect(detail.getByTestId('finding-evidence')).toContainText('<img src=x onerror="window.__vbXss=1">');
  await expect(detail.locator('img, b')).toHaveCount(0);
  for (const value of Object.values(SECRETS)) expect(await page.content()).not.toContain(value);
  await expectAccessible(page, 'finding with masked secrets', '[role="dialog"]');
  await shoot(page, 'finding-secrets-masked');

  const revealed = page.waitForResponse((r) => r.url().endsWith('/reveal') && r.request().method() === 'POST');
  await detail.getByRole('button', { name: 'Reveal secrets' }).click();
  expect((await revealed).status()).toBe(200);
  await expect(detail.getByTestId('secrets-notice')).toContainText('Secrets shown as the scanner wrote them');
  await expect(request.getByRole('row', { name: /Authorization/ })).toContainText(`Bearer ${SECRETS.bearer}`);
  await expect(request.getByRole('row', { name: /Cookie/ })).toContainText(`session=${SECRETS.cookie}`);
  await expect(detail.getByTestId('finding-url')).toHaveText(uri);
  await expect(detail.getByTestId('finding-evidence')).toContainText(SECRETS.sid);
  await expect(detail.getByTestId('masked-secret')).toHaveCount(0);
  await expect(detail.locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __vbXss?: number }).__vbXss)).toBeUndefined();
  await expectAccessible(page, 'finding with revealed secrets', '[role="dialog"]');
  await shoot(page, 'finding-secrets-revealed');

  // The reveal is in the audit log, naming the finding.
  const audit = await page.request.get(`${baseUrl()}/api/audit-events?action=finding.secrets_revealed`);
  expect(audit.status(), await audit.text()).toBe(200);
  const events = ((await audit.json()) as { events: { action: string; subjectId: string | null }[] }).events;
  expect(
    events.some((e) => e.action === 'finding.secrets_revealed' && findingUrl.endsWith(`finding=${e.subjectId}`)),
  ).toBe(true);

  await detail.getByRole('button', { name: 'Mask secrets again' }).click();
  await expect(request.getByRole('row', { name: /Authorization/ })).toContainText('Bearer [masked: Authorization]');
  for (const value of Object.values(SECRETS)) expect(await page.content()).not.toContain(value);
});

test('a Reader sees the placeholders and no Reveal secrets button', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  const invited = await page.request.post(`${baseUrl()}/api/invitations`, {
    headers: await sessionHeaders(page),
    data: { email: revealReader.email, role: 'reader' },
  });
  expect(invited.status(), await invited.text()).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  await page.context().clearCookies();
  const accepted = await page.request.post(`${baseUrl()}/api/invitations/accept`, {
    data: { token, email: revealReader.email, name: revealReader.name, password: revealReader.password },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  readerId = ((await accepted.json()) as { user: { id: string } }).user.id;
  await page.context().clearCookies();

  await signIn(page, revealReader.email, revealReader.password);
  await page.goto(findingUrl);
  const detail = page.getByRole('dialog').getByTestId('finding-detail');
  await expect(detail.getByTestId('secrets-notice')).toContainText('Secrets masked');
  await expect(detail.getByText('A Contributor or above can reveal them.')).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Reveal secrets' })).toHaveCount(0);
  await expect(
    detail.getByRole('region', { name: 'Request' }).getByRole('row', { name: /Authorization/ }),
  ).toContainText('Bearer [masked: Authorization]');
  for (const value of Object.values(SECRETS)) expect(await page.content()).not.toContain(value);
});
