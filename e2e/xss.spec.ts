// Hostile text in a real browser: a report whose scanner fields (alert name, description, solution,
// references, URL, parameter, attack, evidence, other info, request and response headers and bodies), file
// name and target name carry XSS payloads, and a GitLab comment (bob's note in the sandbox, delivered to
// the hub by its webhook) with the same payloads. Every page that shows them is opened: targets, scans,
// the scan report, the vulnerability, the finding with its request and response, its comment thread,
// the created issues. On each: nothing ran (window.__xss unset, no dialog), no script, event-handler
// attribute or javascript: URL reached the DOM, and the payloads read as the text they are. The hub's
// pages carry a Content-Security-Policy that Chromium enforces.
//
// Like the comments spec, it works in an organization of its own, made in the database, and removes it,
// its target, the webhook and the issue at the end, so the hub and the sandbox are left as found.
import { expect, type Page, test } from '@playwright/test';
import { baseUrl, hubSpec, signIn, signInHeaders } from './helpers.ts';
import { withOwnOrganization } from './own-organization.ts';
import { sandbox, sandboxUser } from './sandbox.ts';

hubSpec({ serial: true });

const projectPath = 'acme/platform/security/security-auth-001';
const site = 'https://xss-hardening.example.com';
const person = {
  organizationName: 'XSS Testers',
  name: 'Xavier Sanitizer',
  email: 'xavier@xss.test',
  password: 'scripts stay inert as text',
};

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror="window.__xss=1">';
const SVG = '<svg onload="window.__xss=1">';
const targetName = `XSS target ${IMG}`;
const fileName = `report-<img src=x onerror=window.__xss=1>.json`;
const alertName = `Reflected XSS ${SCRIPT} ${IMG}`;
const evidence = `${IMG} ${SVG}`;
const attack = `</textarea></pre>${SCRIPT}`;
const parameter = `q"><svg/onload=window.__xss=1>`;
const otherInfo = `[click](javascript:window.__xss=1) &lt;b&gt;entity&lt;/b&gt; <iframe src="javascript:window.__xss=1"></iframe>`;
const findingUrl = `${site}/search?q=${SCRIPT}`;
const requestBody = `q=${SVG}`;
const responseBody = `<html><body>${SCRIPT}${IMG}</textarea></body></html>`;
const commentBody = [
  `Raw HTML: ${SCRIPT} ${IMG} ${SVG}`,
  '',
  '[md link](javascript:window.__xss=1) and [entity link](jav&#x61;script:window.__xss=1) and [data](data:text/html,hi)',
  '',
  '![img](javascript:window.__xss=1) <a href="javascript:window.__xss=1">raw anchor</a> <javascript:window.__xss=1>',
  '',
  `&lt;script&gt;entity&lt;/script&gt; </textarea>${SCRIPT} and **bold**`,
].join('\n');

/** A ZAP JSON report of one finding whose every text field carries a payload. */
function hostileReport(): Buffer {
  const host = new URL(site).host;
  const alert = {
    pluginid: '40012',
    alertRef: '40012',
    alert: alertName,
    name: alertName,
    riskcode: '3',
    confidence: '2',
    riskdesc: 'High (Medium)',
    // ZAP's description, solution and references are HTML: tags are dropped, entities become text.
    desc: `<p>Described &lt;script&gt;window.__xss=1&lt;/script&gt; here.</p>${SCRIPT}${SVG}`,
    solution: `<p>Solve [it](javascript:window.__xss=1) &lt;/textarea&gt;&lt;img src=x onerror=window.__xss=1&gt;</p>`,
    reference:
      '<p>javascript:window.__xss=1</p><p>jav&#x61;script:window.__xss=1</p><p> JAVASCRIPT:window.__xss=1</p><p>data:text/html,x</p><p>https://owasp.org/xss?q=&quot;&gt;&lt;img src=x onerror=window.__xss=1&gt;</p>',
    otherinfo: '',
    cweid: '79',
    wascid: '8',
    sourceid: '1',
    count: '1',
    instances: [
      {
        uri: findingUrl,
        method: 'GET',
        param: parameter,
        attack,
        evidence,
        otherinfo: otherInfo,
        requestheader: `GET ${findingUrl} HTTP/1.1\r\nHost: ${host}\r\nX-Probe: ${SCRIPT}\r\nReferer: javascript:window.__xss=1\r\n\r\n`,
        requestbody: requestBody,
        responseheader: `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: x=${IMG}\r\n\r\n`,
        responsebody: responseBody,
      },
    ],
  };
  const report = {
    '@programName': 'ZAP',
    '@version': '2.15.0',
    '@generated': 'Mon, 3 Jun 2024 10:00:00',
    site: [{ '@name': site, '@host': host, '@port': '443', '@ssl': 'true', alerts: [alert] }],
  };
  return Buffer.from(JSON.stringify(report));
}

let targetId = '';
let scanId = '';
let vulnerabilityId = '';
let findingId = '';
let projectId = 0;
let iid = 0;
let hooksBefore: number[] = [];

/** The sandbox's GitLab API as `username`; fails on anything but 2xx. */
async function gitlab(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  username = 'alice',
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${sandbox().url}/api/v4${path}`, {
    method,
    headers: { 'PRIVATE-TOKEN': sandboxUser(username).token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Watches a page for dialogs (alert, confirm, prompt) from the moment it opens. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return dialogs;
}

/** Nothing ran, and nothing that could run is in the DOM. */
async function expectInert(page: Page, dialogs: string[], where: string): Promise<void> {
  const found = await page.evaluate(() => {
    const bad: string[] = [];
    if ((window as unknown as { __xss?: unknown }).__xss !== undefined) bad.push('window.__xss is set');
    for (const script of document.querySelectorAll('script')) {
      const src = script.getAttribute('src') ?? '';
      if (!src.startsWith('/') || script.textContent?.trim()) bad.push(`script ${script.outerHTML.slice(0, 80)}`);
    }
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        if (attribute.name.toLowerCase().startsWith('on'))
          bad.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
        if (
          /^(href|src|action|formaction|xlink:href|srcdoc|data)$/i.test(attribute.name) &&
          /^\s*(javascript|data|vbscript):/i.test(attribute.value)
        ) {
          bad.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
        }
      }
    }
    for (const element of document.querySelectorAll('iframe, object, embed, svg[onload], img[src="x"]'))
      bad.push(`element ${element.tagName}`);
    for (const link of document.querySelectorAll('a[href]')) {
      const protocol = new URL((link as HTMLAnchorElement).href).protocol;
      if (!['http:', 'https:', 'mailto:'].includes(protocol)) bad.push(`link ${protocol} ${link.getAttribute('href')}`);
    }
    return bad;
  });
  expect(found, `on the ${where}`).toEqual([]);
  expect(dialogs, `dialogs on the ${where}`).toEqual([]);
}

withOwnOrganization(
  person,
  () => ({ targetId, projectId, iid, hooksBefore }),
  (method, path) => gitlab(method, path),
);

test('the hub sends a Content-Security-Policy that Chromium enforces', async ({ page }) => {
  const response = await page.goto('/sign-in');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  // An inline script injected into the page is refused by the browser, and says so.
  const outcome = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; violated: string }>((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (event) =>
            resolve({ ran: (window as unknown as { __csp?: number }).__csp === 1, violated: event.effectiveDirective }),
          { once: true },
        );
        const script = document.createElement('script');
        script.textContent = 'window.__csp = 1';
        document.body.append(script);
      }),
  );
  expect(outcome).toEqual({ ran: false, violated: 'script-src-elem' });
});

test('a hostile report and a hostile GitLab comment reach the hub', async ({ page }) => {
  const project = (await gitlab('GET', `/projects/${encodeURIComponent(projectPath)}`)) as { id: number };
  projectId = project.id;
  hooksBefore = ((await gitlab('GET', `/projects/${projectId}/hooks`)) as { id: number }[]).map((h) => h.id);
  await signIn(page, person.email, person.password);
  const headers = await signInHeaders(page.request, person);
  const target = await page.request.post(`${baseUrl()}/api/targets`, {
    headers,
    data: { name: targetName, baseUrl: site },
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
    multipart: { file: { name: fileName, mimeType: 'application/json', buffer: hostileReport() } },
  });
  expect(upload.ok(), await upload.text()).toBe(true);
  scanId = ((await upload.json()) as { imports: { scanId: string }[] }).imports[0]!.scanId;
  const report = (await (await page.request.get(`${baseUrl()}/api/scans/${scanId}`)).json()) as {
    vulnerabilities: { id: string }[];
  };
  vulnerabilityId = report.vulnerabilities[0]!.id;
  const findings = (await (
    await page.request.get(`${baseUrl()}/api/vulnerabilities/${vulnerabilityId}/findings`)
  ).json()) as { findings: { id: string }[] };
  findingId = findings.findings[0]!.id;

  const linked = await page.request.put(`${baseUrl()}/api/scans/${scanId}/gitlab/project`, {
    headers,
    data: { projectId },
  });
  expect(linked.ok(), await linked.text()).toBe(true);
  expect(JSON.stringify(await linked.json())).toContain('webhook');
  const push = await page.request.post(`${baseUrl()}/api/scans/${scanId}/pushes`, {
    headers,
    data: { vulnerabilityId },
  });
  expect(push.ok(), await push.text()).toBe(true);
  const pushId = ((await push.json()) as { pushId: string }).pushId;
  await expect
    .poll(
      async () =>
        ((await (await page.request.get(`${baseUrl()}/api/pushes/${pushId}`)).json()) as { finished: boolean })
          .finished,
      { timeout: 20_000 },
    )
    .toBe(true);
  const done = (await (await page.request.get(`${baseUrl()}/api/pushes/${pushId}`)).json()) as {
    items: { iid: number | null }[];
  };
  iid = done.items[0]?.iid ?? 0;
  expect(iid).toBeGreaterThan(0);

  // Bob comments in GitLab; the sandbox's webhook brings the note to the hub.
  await gitlab('POST', `/projects/${projectId}/issues/${iid}/notes`, 'bob', { body: commentBody });
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get(`${baseUrl()}/api/findings/${findingId}/comments`)).json()) as {
            comments: { body: string }[];
          }
        ).comments.map((c) => c.body),
      { timeout: 10_000 },
    )
    .toEqual([commentBody]);
});

// One sign-in for every page (signing in costs a password hash; the pages are what is under test).
test('every page that shows the hostile text keeps it inert', async ({ page }) => {
  const dialogs = watchDialogs(page);
  await signIn(page, person.email, person.password);

  await test.step('targets and scans lists', async () => {
    await expect(page.getByRole('link', { name: targetName })).toBeVisible();
    await expectInert(page, dialogs, 'targets page');
    await page.goto('/scans');
    await expect(page.getByRole('row', { name: /XSS target/ })).toContainText(targetName);
    await expectInert(page, dialogs, 'scans page');
  });

  await test.step('the scan report and the vulnerability', async () => {
    await page.goto(`/scans/${scanId}`);
    await expect(page.getByText(fileName)).toBeVisible();
    await expect(page.getByRole('link', { name: alertName })).toBeVisible();
    await expectInert(page, dialogs, 'scan report');

    await page.getByRole('link', { name: alertName }).click();
    const panel = page.getByTestId('vulnerability-panel');
    await expect(panel.getByRole('heading', { name: alertName })).toBeVisible();
    // Tags in the scanner's HTML are dropped; what it encoded as entities is shown as the text it spells.
    await expect(panel).toContainText(`Described ${SCRIPT} here.`);
    await expect(panel).toContainText(
      'Solve [it](javascript:window.__xss=1) </textarea><img src=x onerror=window.__xss=1>',
    );
    // References: only the http(s) one is a link; javascript: and data: in any spelling stay text.
    await expect(panel.getByText('javascript:window.__xss=1', { exact: true }).first()).toBeVisible();
    await expect(panel.getByText('JAVASCRIPT:window.__xss=1', { exact: true })).toBeVisible();
    const reference = panel.getByRole('link', { name: /owasp\.org\/xss/ });
    await expect(reference).toHaveAttribute('href', /^https:\/\/owasp\.org\/xss\?q=/);
    await expect(reference).toHaveText('https://owasp.org/xss?q="><img src=x onerror=window.__xss=1>');
    await expectInert(page, dialogs, 'vulnerability panel');
  });

  await test.step('the finding with its request and response', async () => {
    await page.getByTestId('vulnerability-panel').locator('li[aria-posinset="1"]').getByRole('button').click();
    const drawer = page.getByRole('dialog', { name: /^Finding VB-/ });
    await expect(drawer.getByTestId('finding-url')).toHaveText(findingUrl);
    await expect(drawer.getByTestId('finding-parameter')).toHaveText(parameter);
    await expect(drawer.getByTestId('finding-attack')).toHaveText(attack);
    await expect(drawer.getByTestId('finding-evidence')).toHaveText(evidence);
    await expect(drawer.getByRole('region', { name: 'Other info' })).toHaveText(otherInfo);
    const requestHeaders = drawer.getByRole('table', { name: /Request headers/ });
    await expect(requestHeaders.getByRole('row', { name: /X-Probe/ })).toContainText(SCRIPT);
    await expect(requestHeaders.getByRole('row', { name: /Referer/ })).toContainText('javascript:window.__xss=1');
    await expect(drawer.getByRole('region', { name: 'Request body' })).toHaveText(requestBody);
    // A cookie value is a secret: masked until revealed (issue #14), and revealed it is still only text.
    const setCookie = drawer.getByRole('table', { name: /Response headers/ }).getByRole('row', { name: /Set-Cookie/ });
    await expect(setCookie).toContainText('x=[masked: Set-Cookie]');
    await expect(drawer.getByRole('region', { name: 'Response body' })).toHaveText(responseBody);
    await expectInert(page, dialogs, 'finding drawer');
    await drawer.getByRole('button', { name: 'Reveal secrets' }).click();
    await expect(setCookie).toContainText(`x=${IMG}`);
    await expectInert(page, dialogs, 'finding drawer with secrets revealed');
  });

  await test.step('the GitLab comment in the finding’s thread, as sanitised Markdown', async () => {
    const comment = page.getByRole('dialog').getByTestId('comment-thread').getByTestId('comment');
    await expect(comment).toHaveCount(1);
    await expect(comment).toContainText('via GitLab');
    // Raw HTML reads as the text it is, entities as what they spell; Markdown still works.
    await expect(comment).toContainText(`Raw HTML: ${SCRIPT} ${IMG} ${SVG}`);
    await expect(comment).toContainText(`<script>entity</script> </textarea>${SCRIPT} and bold`);
    await expect(comment).toContainText('<a href="javascript:window.__xss=1">raw anchor</a>');
    await expect(comment.locator('strong')).toHaveText('bold');
    // javascript: and data: links, however spelled, are disarmed: their text stays, no anchor, no image.
    for (const text of ['md link', 'entity link', 'data', 'Image: img'])
      await expect(comment.getByText(text, { exact: true })).toBeVisible();
    await expect(comment.locator('a')).toHaveCount(0);
    await expect(comment.locator('img')).toHaveCount(0);
    await expectInert(page, dialogs, 'comment thread');
  });

  await test.step('the created issues page', async () => {
    await page.goto(`/scans/${scanId}/issues`);
    await expect(page.getByText(alertName).first()).toBeVisible();
    await expectInert(page, dialogs, 'created issues page');
  });
});
