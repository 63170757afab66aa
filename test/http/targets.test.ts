import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Org, TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';
import { withTestAppAndOrg } from '../support/hooks.ts';
import { multipart } from '../support/multipart.ts';

describe.each(DIALECTS)('targets API on %s', (dialect) => {
  let h: TestApp;
  let org: Org;
  withTestAppAndOrg(dialect, (made) => {
    ({ h, org } = made);
  });

  it('lets a Contributor create, list, rename and delete a target, with an audit trail', async () => {
    const c = org.members.contributor;
    const created = await c.post('/api/targets', { name: '  Shop  ', baseUrl: 'https://shop.example/app/?q=1#x' });
    expect(created.statusCode).toBe(201);
    const target = created.json().target;
    expect(target).toMatchObject({ name: 'Shop', baseUrl: 'https://shop.example/app' });
    expect((await c.get('/api/targets')).json().targets.map((t: { id: string }) => t.id)).toEqual([target.id]);
    expect((await c.get(`/api/targets/${target.id}`)).json().target.name).toBe('Shop');
    const renamed = await c.patch(`/api/targets/${target.id}`, { name: 'Web shop' });
    expect(renamed.json().target).toMatchObject({ id: target.id, name: 'Web shop' });
    expect((await c.delete(`/api/targets/${target.id}`)).statusCode).toBe(204);
    expect((await c.get(`/api/targets/${target.id}`)).statusCode).toBe(404);
    const actions = await h.t.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', target.id)
      .orderBy('created_at')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['target.created', 'target.renamed', 'target.deleted']);
  });

  it('refuses a Reader any write with 403 and changes nothing', async () => {
    const r = org.members.reader;
    const create = await r.post('/api/targets', { name: 'Nope', baseUrl: 'https://nope.example' });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.code).toBe('forbidden');
    const existing = (await org.owner.post('/api/targets', { name: 'Kept', baseUrl: 'https://kept.example' })).json()
      .target;
    expect((await r.patch(`/api/targets/${existing.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await r.delete(`/api/targets/${existing.id}`)).statusCode).toBe(403);
    expect((await r.get('/api/targets')).json().targets.map((t: { name: string }) => t.name)).toEqual(['Kept']);
  });

  it('validates input and refuses a duplicate base URL with 409', async () => {
    const c = org.members.contributor;
    const bad = await c.post('/api/targets', { name: '', baseUrl: 'ftp://x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/name/);
    expect(bad.json().error.message).toMatch(/baseUrl/);
    const dup = await c.post('/api/targets', { name: 'Again', baseUrl: 'https://kept.example/' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
  });
});

describe.each(DIALECTS)('members API on %s', (dialect) => {
  let org: Org;
  withTestAppAndOrg(dialect, (made) => {
    ({ org } = made);
  });

  // Members are added by invitation (issue #14): test/http/invitations.test.ts covers acceptance.
  it('lets an Administrator invite members up to their own role, and keeps the last Owner', async () => {
    const admin = org.members.administrator;
    const added = await admin.post('/api/invitations', { email: 'new@example.com', role: 'contributor' });
    expect(added.statusCode).toBe(201);
    expect((await admin.post('/api/invitations', { email: 'boss@example.com', role: 'owner' })).statusCode).toBe(403);
    expect(
      (await org.members.contributor.post('/api/invitations', { email: 'x@example.com', role: 'reader' })).statusCode,
    ).toBe(403);
    const members = (await admin.get('/api/members')).json().members as { userId: string; role: string }[];
    const owner = members.find((m) => m.role === 'owner');
    expect((await org.owner.patch(`/api/members/${owner?.userId}`, { role: 'reader' })).statusCode).toBe(409);
    const reader = members.find((m) => m.role === 'reader');
    expect((await admin.delete(`/api/members/${reader?.userId}`)).statusCode).toBe(204);
    expect((await org.members.reader.get('/api/targets')).statusCode).toBe(401);
  });
});

describe.each(DIALECTS)('scans API on %s', (dialect) => {
  let org: Org;
  withTestAppAndOrg(dialect, (made) => {
    ({ org } = made);
  });

  it('uploads a report, lists the scan, and pages through a vulnerability’s findings', async () => {
    const c = org.members.contributor;
    const target = (await c.post('/api/targets', { name: 'Gov', baseUrl: 'https://gov.example' })).json().target;
    const { body, contentType } = multipart(
      readFileSync(new URL('../fixtures/reports/zap-bcgov-1.json', import.meta.url)),
      'zap.json',
    );
    const upload = await c.request('POST', `/api/targets/${target.id}/scans`, body, { 'content-type': contentType });
    expect(upload.statusCode, upload.body).toBe(201);
    const [summary] = upload.json().imports;
    expect(summary).toMatchObject({ format: 'zap-json', findings: 809, vulnerabilities: 10 });
    const scans = (await org.members.reader.get(`/api/targets/${target.id}/scans`)).json().scans;
    expect(scans.map((s: { id: string }) => s.id)).toEqual([summary.scanId]);
    const report = (await org.members.reader.get(`/api/scans/${summary.scanId}`)).json();
    const severities = report.vulnerabilities.map((v: { severity: string }) => v.severity);
    expect(severities.slice(0, 4)).toEqual(['medium', 'medium', 'medium', 'medium']);
    expect(severities.at(-1)).toBe('info');
    const timestamps = report.vulnerabilities.find((v: { name: string }) => v.name === 'Timestamp Disclosure - Unix');
    const page = (
      await org.members.reader.get(`/api/vulnerabilities/${timestamps.id}/findings?offset=700&limit=100`)
    ).json();
    expect(page).toMatchObject({ total: 755, offset: 700, limit: 100 });
    expect(page.findings).toHaveLength(55);
  });

  // Every format through the API, detected from the content: the counts the export then holds are the
  // file's (worked out from each file: instances, results, issues, lines).
  it.each([
    ['zap-anubissbe-1.json', 'zap-json', 131],
    ['zap-defectdojo-1.xml', 'zap-xml', 130],
    ['nuclei-defectdojo-3.jsonl', 'nuclei-jsonl', 18],
    ['nuclei-defectdojo-2.json', 'nuclei-json', 6],
    ['sarif-defectdojo-3.sarif', 'sarif', 8],
    ['gitlab-dast-defectdojo-1.json', 'gitlab-dast', 10],
    ['burp-defectdojo-1.xml', 'burp-xml', 16],
  ])('uploads %s as %s with its %i findings', async (name, format, findings) => {
    const c = org.members.contributor;
    const target = (
      await c.post('/api/targets', { name, baseUrl: `https://${name.replace(/[^a-z0-9]/g, '')}.example` })
    ).json().target;
    const { body, contentType } = multipart(
      readFileSync(new URL(`../fixtures/reports/${name}`, import.meta.url)),
      name,
      { splitSites: 'true' },
    );
    const upload = await c.request('POST', `/api/targets/${target.id}/scans`, body, { 'content-type': contentType });
    expect(upload.statusCode, upload.body).toBe(201);
    const imports: { scanId: string; format: string; findings: number }[] = upload.json().imports;
    expect(imports.every((i) => i.format === format)).toBe(true);
    let exported = 0;
    for (const i of imports) {
      const scan = (await org.members.reader.get(`/api/scans/${i.scanId}/export`)).json();
      exported += scan.vulnerabilities.reduce((n: number, v: { findings: unknown[] }) => n + v.findings.length, 0);
    }
    expect(exported).toBe(findings);
  });

  it('refuses a broken upload with 422 naming the problem, and a Reader’s upload with 403', async () => {
    const c = org.members.contributor;
    const target = (await c.post('/api/targets', { name: 'Bad', baseUrl: 'https://bad.example' })).json().target;
    const broken = multipart(
      Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><OWASPZAPReport>&e;</OWASPZAPReport>',
      ),
      'zap.xml',
    );
    const refused = await c.request('POST', `/api/targets/${target.id}/scans`, broken.body, {
      'content-type': broken.contentType,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'invalid_report', message: expect.stringMatching(/DOCTYPE/i) });
    expect((await c.get(`/api/targets/${target.id}/scans`)).json().scans).toEqual([]);
    const ok = multipart(Buffer.from('{"site":[]}'), 'zap.json');
    expect(
      (
        await org.members.reader.request('POST', `/api/targets/${target.id}/scans`, ok.body, {
          'content-type': ok.contentType,
        })
      ).statusCode,
    ).toBe(403);
  });
});
