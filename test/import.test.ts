// Import into the database, on both dialects: counts worked out from the raw files (not from our parser),
// identity across scans (new / recurring / missing), atomic rejection, export round trip, several sites.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReportBytes } from '../src/findings/index.ts';
import { createTarget, deleteTarget, exportScan } from '../src/services/index.ts';
import { importReport } from '../src/imports/index.ts';
import { DIALECTS, type TestDatabase } from './support/databases.ts';
import { withTestOrganization } from './support/hooks.ts';

const FIXTURES = new URL('./fixtures/reports/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

interface ZapJson {
  site: { '@name': string; alerts: { alert: string; riskcode: string; instances: unknown[] }[] }[];
}
const zap = JSON.parse(fixture('zap-bcgov-1.json').toString()) as ZapJson;
const zapAlerts = zap.site.flatMap((s) => s.alerts);
const zapInstances = zapAlerts.reduce((n, a) => n + a.instances.length, 0);

describe.each(DIALECTS)('scan import on %s', (dialect) => {
  let t: TestDatabase;
  let organizationId: string;
  withTestOrganization(dialect, (made) => {
    ({ t, organizationId } = made);
  });

  const count = async (table: 'scans' | 'findings' | 'vulnerabilities' | 'finding_identities') =>
    Number(
      (
        await t.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports a ZAP report with the counts the file holds, then recognises every finding on a rescan', async () => {
    expect(zapAlerts).toHaveLength(10);
    expect(zapInstances).toBe(809);
    const [first] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://bcgov.example' },
      file: { bytes: fixture('zap-bcgov-1.json'), name: 'zap.json' },
    });
    expect(first).toMatchObject({
      format: 'zap-json',
      tool: 'ZAP',
      vulnerabilities: 10,
      findings: 809,
      new: 809,
      recurring: 0,
      missing: 0,
    });
    const [again] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { id: first!.targetId },
      file: { bytes: fixture('zap-bcgov-1.json'), name: 'zap.json' },
    });
    expect(again).toMatchObject({ targetId: first!.targetId, findings: 809, new: 0, recurring: 809, missing: 0 });
    const ids = async (scanId: string) =>
      (
        await t.db.kysely
          .selectFrom('findings')
          .select('public_id')
          .where('scan_id', '=', scanId)
          .orderBy('public_id')
          .execute()
      ).map((r) => r.public_id);
    const firstIds = await ids(first!.scanId);
    expect(firstIds.every((id) => /^VB-[A-Z]{6}\d{6}$/.test(id))).toBe(true);
    expect(new Set(firstIds).size).toBe(809);
    expect(await ids(again!.scanId)).toEqual(firstIds);

    // A later scan where the CSP alert is fixed and nothing else changed.
    const fixedAlert = zapAlerts.find((a) => a.alert.startsWith('Content Security Policy'))!;
    const fixed = structuredClone(zap);
    for (const site of fixed.site) site.alerts = site.alerts.filter((a) => a.alert !== fixedAlert.alert);
    const [third] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { id: first!.targetId },
      file: { bytes: Buffer.from(JSON.stringify(fixed)), name: 'zap.json' },
    });
    expect(third).toMatchObject({
      findings: 809 - fixedAlert.instances.length,
      new: 0,
      recurring: 809 - fixedAlert.instances.length,
      missing: fixedAlert.instances.length,
    });
    expect(await count('finding_identities')).toBe(809);
  });

  it('creates the target from its URL when new, and reuses it by URL', async () => {
    const [a] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://new.example/' },
      file: { bytes: fixture('zap-anubissbe-1.json'), name: 'z.json' },
    });
    const [b] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://new.example' },
      file: { bytes: fixture('zap-anubissbe-1.json'), name: 'z.json' },
    });
    expect(b!.targetId).toBe(a!.targetId);
    const target = await t.db.kysely
      .selectFrom('targets')
      .selectAll()
      .where('id', '=', a!.targetId)
      .executeTakeFirstOrThrow();
    expect(target).toMatchObject({ base_url: 'https://new.example', name: 'new.example' });
  });

  it('rejects a broken report whole: nothing of it is stored', async () => {
    const before = await Promise.all(
      (['scans', 'findings', 'vulnerabilities', 'finding_identities'] as const).map(count),
    );
    const truncated = fixture('zap-bcgov-1.json').subarray(0, 5000);
    await expect(
      importReport(t.db, {
        organizationId,
        actorUserId: null,
        target: { url: 'https://broken.example' },
        file: { bytes: truncated, name: 'z.json' },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_report',
      message: expect.stringMatching(/zap-json report rejected.*line \d+/),
    });
    const after = await Promise.all(
      (['scans', 'findings', 'vulnerabilities', 'finding_identities'] as const).map(count),
    );
    expect(after).toEqual(before);
    expect(
      await t.db.kysely.selectFrom('targets').select('id').where('base_url', '=', 'https://broken.example').execute(),
    ).toEqual([]);
  });

  it('rejects a report whose last alert is bad after the alerts before it were stored: nothing of it is kept', async () => {
    const before = await Promise.all(
      (['scans', 'findings', 'vulnerabilities', 'finding_identities'] as const).map(count),
    );
    // Three copies of the report's alerts (2,427 findings, several write batches), then one bad alert.
    const bad = structuredClone(zap);
    const site = bad.site[0]!;
    const copies = [0, 1, 2].flatMap((n) =>
      zapAlerts.map((a) => ({
        ...a,
        alertRef: `${n}-${a.alert}`,
        pluginid: `${n}${(a as { pluginid?: string }).pluginid ?? ''}`,
        alert: `${a.alert} #${n}`,
      })),
    );
    site.alerts = [...copies, { ...zapAlerts[0]!, riskcode: '9' }];
    bad.site = [site];
    await expect(
      importReport(t.db, {
        organizationId,
        actorUserId: null,
        target: { url: 'https://late.example' },
        file: { bytes: Buffer.from(JSON.stringify(bad)), name: 'z.json' },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_report',
      message: expect.stringContaining('riskcode'),
    });
    const after = await Promise.all(
      (['scans', 'findings', 'vulnerabilities', 'finding_identities'] as const).map(count),
    );
    expect(after).toEqual(before);
    expect(
      await t.db.kysely.selectFrom('targets').select('id').where('base_url', '=', 'https://late.example').execute(),
    ).toEqual([]);
  });

  it('parses a report file on a worker thread with the same result, errors and atomicity as in the import thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-import-worker-'));
    try {
      const good = join(dir, 'zap.json');
      writeFileSync(good, fixture('zap-bcgov-1.json'));
      const [inThread] = await importReport(t.db, {
        organizationId,
        actorUserId: null,
        target: { url: 'https://thread.example' },
        file: { path: good },
        parseInWorker: false,
      });
      const [inWorker] = await importReport(t.db, {
        organizationId,
        actorUserId: null,
        target: { url: 'https://worker.example' },
        file: { path: good },
        parseInWorker: true,
      });
      expect(inWorker).toMatchObject({ format: 'zap-json', vulnerabilities: 10, findings: 809, new: 809 });
      // Every stored column but the ids, which differ by scan and target.
      const fields = async (scanId: string) =>
        (
          await t.db.kysely
            .selectFrom('findings')
            .selectAll()
            .where('scan_id', '=', scanId)
            .orderBy('fingerprint')
            .execute()
        ).map(({ id, scan_id, vulnerability_id, identity_id, public_id, ...rest }) => rest);
      expect(await fields(inWorker!.scanId)).toEqual(await fields(inThread!.scanId));
      const scans = await t.db.kysely
        .selectFrom('scans')
        .select(['source_sha256', 'source_bytes'])
        .where('id', 'in', [inThread!.scanId, inWorker!.scanId])
        .execute();
      expect(scans[0]).toEqual(scans[1]);

      const before = await Promise.all(
        (['scans', 'findings', 'vulnerabilities', 'finding_identities'] as const).map(count),
      );
      const truncated = join(dir, 'truncated.json');
      writeFileSync(truncated, fixture('zap-bcgov-1.json').subarray(0, 5000));
      const refusal = (parseInWorker: boolean) =>
        importReport(t.db, {
          organizationId,
          actorUserId: null,
          target: { url: 'https://broken.example' },
          file: { path: truncated },
          parseInWorker,
        }).catch((e: Error) => e.message);
      expect(await refusal(true)).toBe(await refusal(false));
      expect(await refusal(true)).toMatch(/zap-json report rejected.*line \d+/);

      const bad = structuredClone(zap);
      bad.site[0]!.alerts = [
        ...zapAlerts.map((a) => ({ ...a, alert: `${a.alert} (copy)`, alertRef: `c${a.alert}` })),
        ...zapAlerts,
        { ...zapAlerts[0]!, riskcode: '9' },
      ];
      const late = join(dir, 'late.json');
      writeFileSync(late, JSON.stringify(bad));
      await expect(
        importReport(t.db, {
          organizationId,
          actorUserId: null,
          target: { url: 'https://late-worker.example' },
          file: { path: late },
          parseInWorker: true,
        }),
      ).rejects.toMatchObject({
        code: 'invalid_report',
        message: expect.stringContaining('riskcode'),
      });
      expect(
        await Promise.all((['scans', 'findings', 'vulnerabilities', 'finding_identities'] as const).map(count)),
      ).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Four parser threads (each loads tsx) and four imports: 30 s was not enough on a loaded machine.
  }, 90_000);

  it('accepts an empty report as a scan with zero findings', async () => {
    const empty = { '@version': '2.14.0', '@generated': 'Thu, 1 Jan 2026 00:00:00', site: [] };
    const [summary] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://empty.example' },
      file: { bytes: Buffer.from(JSON.stringify(empty)), name: 'e.json' },
    });
    expect(summary).toMatchObject({ vulnerabilities: 0, findings: 0, new: 0 });
  });

  it('exports what it imported, field for field', async () => {
    const bytes = fixture('zap-anubissbe-1.json');
    const raw = JSON.parse(bytes.toString()) as ZapJson;
    const [summary] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://export.example' },
      file: { bytes, name: 'z.json' },
    });
    const exported = await exportScan(t.db.kysely, organizationId, summary!.scanId);
    expect(exported.scan.counts.findings).toBe(
      raw.site.flatMap((s) => s.alerts).reduce((n, a) => n + a.instances.length, 0),
    );
    expect(exported.vulnerabilities.map((v) => v.name).sort()).toEqual(
      raw.site
        .flatMap((s) => s.alerts)
        .map((a) => a.alert)
        .sort(),
    );
    const findings = exported.vulnerabilities.flatMap((v) => v.findings);
    expect(findings).toHaveLength(summary!.findings);
    const firstRaw = raw.site[0]!.alerts[0]! as unknown as {
      alert: string;
      instances: { uri: string; method: string; param: string }[];
    };
    const match = exported.vulnerabilities.find((v) => v.name === firstRaw.alert)!.findings[0]!;
    expect(match).toMatchObject({
      url: firstRaw.instances[0]!.uri,
      method: firstRaw.instances[0]!.method,
      parameter: firstRaw.instances[0]!.param,
    });
    // JSON round trip keeps every field.
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
  });

  // What is stored is what the parser made, column for column (the parser tests hold the parser to the
  // files): each fixture of each format, parsed on the import thread and on a parser thread (where the
  // findings cross as packed rows, builder.ts PackedFinding).
  const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
  const ROUND_TRIP = [
    'zap-anubissbe-1.json',
    'zap-defectdojo-1.xml',
    'nuclei-defectdojo-3.jsonl',
    'nuclei-defectdojo-2.json',
    'sarif-defectdojo-3.sarif',
    'gitlab-dast-defectdojo-1.json',
    'burp-defectdojo-1.xml',
  ];
  it.each(ROUND_TRIP.flatMap((name) => [false, true].map((parseInWorker) => [name, parseInWorker] as const)))(
    'stores every field of %s as parsed (parser thread: %s)',
    async (name, parseInWorker) => {
      const bytes = fixture(name);
      const parsed = parseReportBytes(bytes);
      const dir = mkdtempSync(join(tmpdir(), 'vb-round-trip-'));
      try {
        const path = join(dir, name);
        writeFileSync(path, bytes);
        // A report with findings on several sites (one Nuclei fixture) becomes one scan per site.
        const summaries = await importReport(t.db, {
          organizationId,
          actorUserId: null,
          target: { url: `https://${parseInWorker ? 'w' : 't'}-${name.replace(/[^a-z0-9]/g, '')}.example` },
          file: { path },
          parseInWorker,
          splitSites: true,
        });
        // The scan report lists vulnerabilities most severe first, in report order within a severity.
        const inOrder = parsed.vulnerabilities
          .map((v, i) => ({ v, i }))
          .sort((a, b) => SEVERITY_RANK[a.v.severity] - SEVERITY_RANK[b.v.severity] || a.i - b.i)
          .map(({ v }) => v);
        let stored = 0;
        for (const summary of summaries) {
          const exported = await exportScan(t.db.kysely, organizationId, summary.scanId);
          const ofScan = (f: { site: string }) => summaries.length === 1 || f.site === exported.scan.site;
          const expected = inOrder
            .map(({ findings, ...v }) => ({ ...v, findings: findings.filter(ofScan) }))
            .filter((v) => summaries.length === 1 || v.findings.length > 0);
          const actual = exported.vulnerabilities.map(({ id, scanId, findingCount, findings, ...v }) => ({
            ...v,
            findings: findings.map(({ id, scanId, vulnerabilityId, publicId, ...f }) => f),
          }));
          expect(actual).toEqual(expected);
          stored += summary.findings;
        }
        expect(stored).toBe(parsed.vulnerabilities.reduce((n, v) => n + v.findings.length, 0));
        expect(stored).toBeGreaterThan(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("keeps a same-place finding's public ID when a later scan lists another finding at that place before it", async () => {
    const line = (evidence: string) =>
      JSON.stringify({
        'template-id': 't1',
        info: { name: 'T', severity: 'low' },
        type: 'http',
        host: 'http://o.example',
        'matched-at': 'http://o.example/a',
        'extracted-results': [evidence],
      });
    const target = { url: 'https://same-place.example' };
    const publicIds = async (scanId: string) => {
      const exported = await exportScan(t.db.kysely, organizationId, scanId);
      return Object.fromEntries(
        exported.vulnerabilities.flatMap((v) => v.findings).map((f) => [f.evidence, f.publicId]),
      );
    };
    const [first] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target,
      file: { bytes: Buffer.from(`${line('AAA')}\n`), name: 'n1.jsonl' },
    });
    const [second] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target,
      file: { bytes: Buffer.from(`${line('BBB')}\n${line('AAA')}\n`), name: 'n2.jsonl' },
    });
    const [third] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target,
      file: { bytes: Buffer.from(`${line('AAA')}\n${line('BBB')}\n`), name: 'n3.jsonl' },
    });
    const before = await publicIds(first!.scanId);
    const after = await publicIds(second!.scanId);
    expect(after.AAA).toBe(before.AAA);
    expect(second).toMatchObject({ new: 1, recurring: 1, missing: 0 });
    // The same findings listed in the other order: the same identities.
    expect(await publicIds(third!.scanId)).toEqual(after);
    expect(third).toMatchObject({ new: 0, recurring: 2, missing: 0 });
  });

  it('refuses a report with findings on several sites unless asked to split it, then makes one scan per site', async () => {
    const two = structuredClone(zap);
    const second = structuredClone(two.site[0]!);
    second['@name'] = 'https://second.example';
    two.site.push(second);
    const bytes = Buffer.from(JSON.stringify(two));
    await expect(
      importReport(t.db, {
        organizationId,
        actorUserId: null,
        target: { url: 'https://one.example' },
        file: { bytes, name: 'z.json' },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_report',
      message: expect.stringContaining('2 sites'),
    });
    const results = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { url: 'https://one.example' },
      file: { bytes, name: 'z.json' },
      splitSites: true,
    });
    expect(results).toHaveLength(2);
    expect(results.map((r) => r.findings)).toEqual([809, 809]);
    expect(new Set(results.map((r) => r.targetId)).size).toBe(2);
  });

  it('deletes a target with all its scans', async () => {
    const target = await createTarget(
      t.db.kysely,
      { organizationId, userId: null },
      { name: 'Gone', baseUrl: 'https://gone.example' },
    );
    const [summary] = await importReport(t.db, {
      organizationId,
      actorUserId: null,
      target: { id: target.id },
      file: { bytes: fixture('zap-anubissbe-1.json'), name: 'z.json' },
    });
    await deleteTarget(t.db.kysely, { organizationId, userId: null }, target.id);
    for (const table of ['findings', 'vulnerabilities'] as const) {
      expect(await t.db.kysely.selectFrom(table).select('id').where('scan_id', '=', summary!.scanId).execute()).toEqual(
        [],
      );
    }
    expect(await t.db.kysely.selectFrom('scans').select('id').where('id', '=', summary!.scanId).execute()).toEqual([]);
  });
});
