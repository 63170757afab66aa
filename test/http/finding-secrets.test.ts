// Issue #14, item 5: evidence is stored as the scanner wrote it, but the secrets that are redacted before
// GitLab are masked in every API answer that carries finding text (list, detail, export) unless a
// Contributor or above asks to reveal them, which is audited. A Reader may not; another organization's
// ids are 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingView } from '../../src/contracts/index.ts';
import { importReport } from '../../src/imports/index.ts';
import { recordSecret } from '../support/capture.ts';
import { createOrg, createTestApp, type Org, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

// Each a value a scanner captured; none may appear in an API answer except a reveal.
const SECRETS = {
  bearer: 'REQ-BEARER-13579bdf2468',
  cookie: 'COOKIE-SESSION-97531eca',
  queryToken: 'AT-live-0123456789abcdef',
  tenant: 'tenant-secret-value-42',
  bodyPassword: 'BODY-PASSWORD-8642',
  responseSid: 'RESP-SID-112233445566',
  evidenceSid: 'EVIDENCE-SESSION-2468ace',
  glpat: 'glpat-ABCDEFGHIJKLMNOPQRST',
};
for (const value of Object.values(SECRETS)) recordSecret('scanner-secret', value);

const url = `http://shop.example/account?id=7&access_token=${SECRETS.queryToken}`;
const report = {
  '@programName': 'ZAP',
  '@version': '2.15.0',
  site: [
    {
      '@name': 'http://shop.example',
      '@host': 'shop.example',
      '@port': '80',
      '@ssl': 'false',
      alerts: [
        {
          pluginid: '10112',
          alertRef: '10112',
          alert: 'Session Management Response Identified',
          name: 'Session Management Response Identified',
          riskcode: '0',
          confidence: '2',
          desc: '<p>A session token was seen.</p>',
          solution: '',
          reference: '',
          instances: [
            {
              uri: url,
              method: 'GET',
              param: 'access_token',
              attack: '',
              evidence: `Set-Cookie: sid=${SECRETS.evidenceSid}; Path=/`,
              otherinfo: `The token ${SECRETS.glpat} was in the page.`,
              requestheader: `GET ${url} HTTP/1.1\r\nHost: shop.example\r\nAuthorization: Bearer ${SECRETS.bearer}\r\nCookie: session=${SECRETS.cookie}; theme=dark\r\nX-Tenant: ${SECRETS.tenant}\r\nAccept: text/html\r\n\r\n`,
              requestbody: `username=alice&password=${SECRETS.bodyPassword}`,
              responseheader: `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: sid=${SECRETS.responseSid}; HttpOnly\r\n\r\n`,
              responsebody: '<p>hello alice</p>',
            },
          ],
        },
      ],
    },
  ],
};

const MASKED_FIELDS = [
  'url',
  'evidence',
  'otherInfo',
  'requestLine',
  'requestBody',
  'requestHeaders',
  'responseHeaders',
];

function expectMasked(finding: FindingView, raw: string) {
  for (const [name, value] of Object.entries(SECRETS)) expect(raw, `${name} leaked`).not.toContain(value);
  expect(finding.revealed).toBe(false);
  expect([...finding.masked].sort()).toEqual([...MASKED_FIELDS].sort());
  expect(finding.requestHeaders).toEqual([
    ['Host', 'shop.example'],
    ['Authorization', 'Bearer [masked: Authorization]'],
    ['Cookie', 'session=[masked: Cookie]; theme=[masked: Cookie]'],
    ['X-Tenant', '[masked: X-Tenant]'],
    ['Accept', 'text/html'],
  ]);
  expect(finding.responseHeaders).toContainEqual(['Set-Cookie', 'sid=[masked: Set-Cookie]; HttpOnly']);
  expect(finding.url).toBe('http://shop.example/account?id=7&access_token=[masked: access_token]');
  expect(finding.requestBody).toBe('username=alice&password=[masked: password]');
  expect(finding.evidence).toBe('Set-Cookie: sid=[masked: Set-Cookie]; Path=/');
  expect(finding.otherInfo).toBe('The token [masked: GitLab token] was in the page.');
  // What holds no secret comes as stored.
  expect(finding.responseBody).toBe('<p>hello alice</p>');
  expect(finding.parameter).toBe('access_token');
}

describe.each(DIALECTS)('finding secrets on %s', (dialect) => {
  let h: TestApp;
  let a: Org;
  let b: Org;
  let scanId = '';
  let otherScanId = '';
  let findingId = '';
  let vulnerabilityId = '';
  let contributorId = '';

  const revealEvents = () =>
    h.t.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', 'finding.secrets_revealed').execute();

  beforeAll(async () => {
    h = await createTestApp(dialect, { env: { REDACT_EXTRA_NAMES: 'x-tenant' } });
    a = await createOrg(h.app, h.t);
    b = await createOrg(h.app, h.t);
    const target = (await a.owner.post('/api/targets', { name: 'Shop', baseUrl: 'http://shop.example' })).json().target;
    const bytes = Buffer.from(JSON.stringify(report));
    const [imported] = await importReport(h.t.db, {
      organizationId: a.id,
      actorUserId: null,
      target: { id: target.id },
      file: { bytes, name: 'zap.json' },
    });
    scanId = imported?.scanId ?? '';
    const [again] = await importReport(h.t.db, {
      organizationId: a.id,
      actorUserId: null,
      target: { id: target.id },
      file: { bytes, name: 'zap-again.json' },
    });
    otherScanId = again?.scanId ?? '';
    const row = await h.t.db.kysely
      .selectFrom('findings')
      .select(['id', 'vulnerability_id'])
      .where('scan_id', '=', scanId)
      .executeTakeFirstOrThrow();
    findingId = row.id;
    vulnerabilityId = row.vulnerability_id;
    contributorId = (await a.members.contributor.get('/api/auth/session')).json().user.id;
  });
  afterAll(async () => h?.close());

  it('masks the secrets in the findings list, with the masked fields named', async () => {
    const response = await a.members.reader.get(`/api/vulnerabilities/${vulnerabilityId}/findings`);
    expect(response.statusCode, response.body).toBe(200);
    const [finding] = response.json().findings as FindingView[];
    expectMasked(finding!, response.body);
  });

  it('masks them in the finding detail and in the export', async () => {
    const detail = await a.members.reader.get(`/api/scans/${scanId}/findings/${findingId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expectMasked(detail.json().finding, detail.body);
    const exported = await a.members.reader.get(`/api/scans/${scanId}/export`);
    expect(exported.statusCode, exported.body).toBe(200);
    expectMasked(exported.json().vulnerabilities[0].findings[0], exported.body);
    expect(await revealEvents()).toHaveLength(0);
  });

  it('keeps what the scanner wrote in the database', async () => {
    const row = await h.t.db.kysely
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', findingId)
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const [name, value] of Object.entries(SECRETS)) expect(stored, name).toContain(value);
    expect(row.url).toBe(url);
  });

  it('reveals the original to a Contributor and records it in the audit log', async () => {
    const response = await a.members.contributor.post(`/api/scans/${scanId}/findings/${findingId}/reveal`);
    expect(response.statusCode, response.body).toBe(200);
    const finding = response.json().finding as FindingView;
    expect(finding.revealed).toBe(true);
    expect([...finding.masked].sort()).toEqual([...MASKED_FIELDS].sort());
    expect(finding.url).toBe(url);
    expect(finding.requestHeaders).toContainEqual(['Authorization', `Bearer ${SECRETS.bearer}`]);
    expect(finding.requestHeaders).toContainEqual(['Cookie', `session=${SECRETS.cookie}; theme=dark`]);
    expect(finding.requestBody).toBe(`username=alice&password=${SECRETS.bodyPassword}`);
    expect(finding.evidence).toContain(SECRETS.evidenceSid);
    const events = await revealEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      organization_id: a.id,
      actor_user_id: contributorId,
      subject_type: 'finding',
      subject_id: findingId,
    });
    expect(JSON.parse(events[0]!.details)).toMatchObject({
      scanId,
      fields: expect.arrayContaining(['requestHeaders']),
    });
    for (const value of Object.values(SECRETS)) expect(events[0]!.details).not.toContain(value);
    // An Owner may too (Contributor or above).
    expect((await a.owner.post(`/api/scans/${scanId}/findings/${findingId}/reveal`)).statusCode).toBe(200);
    expect(await revealEvents()).toHaveLength(2);
  });

  it('refuses a Reader (403) and records nothing', async () => {
    const before = (await revealEvents()).length;
    const response = await a.members.reader.post(`/api/scans/${scanId}/findings/${findingId}/reveal`);
    expect(response.statusCode, response.body).toBe(403);
    for (const value of Object.values(SECRETS)) expect(response.body).not.toContain(value);
    expect(await revealEvents()).toHaveLength(before);
  });

  it('answers 404 to another organization, and to a finding named under another scan', async () => {
    const before = (await revealEvents()).length;
    for (const role of ['owner', 'contributor', 'reader'] as const) {
      const revealed = await b.members[role].post(`/api/scans/${scanId}/findings/${findingId}/reveal`);
      expect(revealed.statusCode, `${role}: ${revealed.body}`).toBe(role === 'reader' ? 403 : 404);
      const detail = await b.members[role].get(`/api/scans/${scanId}/findings/${findingId}`);
      expect(detail.statusCode).toBe(404);
      for (const value of Object.values(SECRETS)) expect(revealed.body + detail.body).not.toContain(value);
    }
    expect(
      (await a.members.contributor.post(`/api/scans/${otherScanId}/findings/${findingId}/reveal`)).statusCode,
    ).toBe(404);
    expect((await a.members.reader.get(`/api/scans/${otherScanId}/findings/${findingId}`)).statusCode).toBe(404);
    expect(await revealEvents()).toHaveLength(before);
  });

  it('needs the write scope from an API token', async () => {
    const read = (await a.members.contributor.post('/api/tokens', { name: 'read only', scopes: ['read'] })).json()
      .secret as string;
    const write = (await a.members.contributor.post('/api/tokens', { name: 'writer', scopes: ['write'] })).json()
      .secret as string;
    const call = (token: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/scans/${scanId}/findings/${findingId}/reveal`,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await call(read)).statusCode).toBe(403);
    const allowed = await call(write);
    expect(allowed.statusCode, allowed.body).toBe(200);
    const last = (await revealEvents()).at(-1);
    expect(last?.api_token_name).toBe('writer');
  });
});
