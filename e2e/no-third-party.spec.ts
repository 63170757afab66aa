// The web app asks no third party for anything (issue #14): every request the pages make goes to the
// hub's origin or the GitLab sandbox's (the GitLab the hub talks to), never to gravatar.com, a font or
// script CDN or an analytics service. Walks the set-up page (when the hub is fresh), sign-in, targets, a
// scan report with its findings, the GitLab integration of a connected target, Created Issues and every
// settings tab, with a listener on every request of the browser context.
import { expect, test } from '@playwright/test';
import { baseUrl, failOnPageErrors, owner, setupCode, signIn } from './helpers.ts';
import { sandbox, sandboxUser } from './sandbox.ts';
import { sqlInjectionReport } from './scan-fixtures.ts';

test.use({ baseURL: process.env.VB_E2E_BASE_URL });
test.beforeEach(({ page }) => failOnPageErrors(page));

const site = 'https://no-third-party.example';
let targetId = '';

/** A one-finding ZAP report of the site. */
function report(): Buffer {
  return sqlInjectionReport(site, [
    {
      uri: `${site}/login`,
      method: 'POST',
      param: 'email',
      attack: "' OR 1=1--",
      evidence: 'SQLITE_ERROR',
      otherinfo: '',
      requestheader: `POST ${site}/login HTTP/1.1\r\nHost: no-third-party.example\r\n\r\n`,
      requestbody: '{"email":"\' OR 1=1--"}',
      responseheader: 'HTTP/1.1 500 Internal Server Error\r\n\r\n',
      responsebody: '{"error":"SQLITE_ERROR"}',
    },
  ]);
}

test.afterAll(async ({ request }) => {
  if (!targetId) return;
  const signedIn = await request.post(`${baseUrl()}/api/auth/sign-in`, {
    data: { email: owner.email, password: owner.password },
  });
  const headers = { 'X-CSRF-Token': ((await signedIn.json()) as { csrfToken: string }).csrfToken };
  await request.delete(`${baseUrl()}/api/targets/${targetId}/gitlab`, { headers });
  expect((await request.delete(`${baseUrl()}/api/targets/${targetId}`, { headers })).status()).toBe(204);
});

test('no page requests anything outside the hub and the GitLab sandbox', async ({ page, context }) => {
  const allowed = new Set([new URL(baseUrl()).origin, new URL(sandbox().url).origin]);
  const outside: string[] = [];
  const seen: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    seen.push(url);
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (!allowed.has(new URL(url).origin)) outside.push(url);
  });

  const status = await page.request.get(`${baseUrl()}/api/setup`);
  if ((await status.json()).needsSetup) {
    await page.goto('/setup');
    await expect(page.getByRole('heading', { name: 'Set up Vulnbridge' })).toBeVisible();
    const created = await page.request.post(`${baseUrl()}/api/setup`, { data: { ...owner, setupCode: setupCode() } });
    expect(created.ok(), await created.text()).toBe(true);
    await page.request.post(`${baseUrl()}/api/auth/sign-out`, {
      headers: { 'X-CSRF-Token': (await created.json()).csrfToken },
    });
  }
  await signIn(page, owner.email, owner.password);

  const session = await page.request.get(`${baseUrl()}/api/auth/session`);
  const headers = { 'X-CSRF-Token': ((await session.json()) as { csrfToken: string }).csrfToken };
  const target = await page.request.post(`${baseUrl()}/api/targets`, {
    headers,
    data: { name: 'Third parties', baseUrl: site },
  });
  expect(target.ok(), await target.text()).toBe(true);
  targetId = ((await target.json()) as { target: { id: string } }).target.id;
  const connected = await page.request.post(`${baseUrl()}/api/targets/${targetId}/gitlab/token`, {
    headers,
    data: { baseUrl: sandbox().url, token: sandboxUser('alice').token },
  });
  expect(connected.ok(), await connected.text()).toBe(true);
  const upload = await page.request.post(`${baseUrl()}/api/targets/${targetId}/scans`, {
    headers,
    multipart: { file: { name: 'zap.json', mimeType: 'application/json', buffer: report() } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  const scanId = ((await upload.json()) as { imports: { scanId: string }[] }).imports[0]?.scanId;

  const pages = ['/targets', `/targets/${targetId}`, `/targets/${targetId}/integrations`, '/scans'];
  pages.push(`/scans/${scanId}`, `/scans/${scanId}/issues`);
  for (const tab of ['members', 'tokens', 'gitlab', 'jobs', 'sla']) pages.push(`/settings/${tab}`);
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  expect(seen.length).toBeGreaterThan(pages.length);
  expect(outside, 'requests to a third party').toEqual([]);
});
