/**
 * Parse benchmark: writes a ZAP traditional-JSON report with 100,000 instances across 300 alerts
 * (realistic field sizes: ~1 KB per instance, HTML descriptions of a few KB per alert) into a temp dir,
 * then parses it with parseReport in a fresh child process and prints wall time and peak RSS.
 *
 *   npx tsx bench/parse.ts [instances=100000] [alerts=300]
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

async function child(file: string): Promise<void> {
  const { parseReport } = await import('../src/findings/index.ts');
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const report = await parseReport({ path: file });
  const ms = performance.now() - t0;
  let findings = 0;
  for (const v of report.vulnerabilities) findings += v.findings.length;
  const peakKb = process.resourceUsage().maxRSS;
  console.log(
    JSON.stringify({
      ms,
      findings,
      vulnerabilities: report.vulnerabilities.length,
      peakRssMb: peakKb / 1024,
      baseRssMb: before / 2 ** 20,
    }),
  );
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

/** Writes the benchmark's ZAP traditional-JSON report (also used by bench/import.ts). */
export async function generate(file: string, instances = 100_000, alerts = 300): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const para =
    'The application does not validate user input before echoing it back &amp; this lets an attacker run script in the victim&#39;s browser. ';
  const desc = `<p>${para.repeat(8)}</p><p>${para.repeat(6)}</p>`;
  const sol = `<p>Phase: Implementation</p><p>${para.repeat(5)}</p><ul><li>Encode output</li><li>Validate input</li></ul>`;
  const paths = ['/search', '/login', '/api/v1/items', '/account/settings', '/static/app.js', '/cart/checkout'];
  const params = ['q', 'username', 'id', 'redirect', 'sort', 'page', ''];
  await write(
    '{"@programName":"ZAP","@version":"2.15.0","@generated":"Wed, 3 Dec 2025 12:46:55","site":[{"@name":"http://bench.local:8080","@host":"bench.local","@port":"8080","@ssl":"false","alerts":[',
  );
  let made = 0;
  for (let a = 0; a < alerts; a++) {
    const count = a === alerts - 1 ? instances - made : Math.floor(instances / alerts);
    await write(
      `${a ? ',' : ''}{"pluginid":"${10000 + a}","alertRef":"${10000 + a}","alert":"Bench alert ${a}","name":"Bench alert ${a}","riskcode":"${a % 4}","confidence":"${1 + (a % 3)}","riskdesc":"x","desc":${JSON.stringify(desc)},"instances":[`,
    );
    for (let k = 0; k < count; k++, made++) {
      const evidence = `<input type="hidden" name="token" value="${'a1b2c3d4'.repeat(4 + (k % 40))}"> <script>var t = ${k};</script>`;
      const other = `The following pattern was found in the response body at offset ${k * 7}.\nContext: ${'lorem ipsum dolor sit amet '.repeat(12 + (k % 18))}`;
      const inst = {
        uri: `http://bench.local:8080${pick(paths, k)}?id=${k}&sort=asc&session=${(k * 2654435761) % 1e9}`,
        method: k % 5 === 0 ? 'POST' : 'GET',
        param: pick(params, k),
        attack: k % 3 === 0 ? `"><scrIpt>alert(${k});</scRipt>` : '',
        evidence,
        otherinfo: other,
      };
      await write(`${k ? ',' : ''}${JSON.stringify(inst)}`);
    }
    await write(
      `],"count":"${count}","solution":${JSON.stringify(sol)},"otherinfo":"","reference":"<p>https://owasp.org/www-community/attacks/xss/</p>","cweid":"79","wascid":"8","sourceid":"1"}`,
    );
  }
  await write(']}]}');
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] ?? '');
  const instances = Number(process.argv[2] ?? 100_000);
  const alerts = Number(process.argv[3] ?? 300);
  const dir = await mkdtemp(join(tmpdir(), 'vb-bench-'));
  const file = join(dir, 'zap-100k.json');
  try {
    await generate(file, instances, alerts);
    const { size } = await stat(file);
    console.log(`generated ${file}: ${(size / 2 ** 20).toFixed(1)} MiB, ${instances} instances, ${alerts} alerts`);
    for (let run = 1; run <= 3; run++) {
      const r = spawnSync(process.execPath, [...process.execArgv, here, '--child', file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      console.log(
        `run ${run}: parse ${m.ms.toFixed(0)} ms, ${m.findings} findings in ${m.vulnerabilities} vulnerabilities, ` +
          `peak RSS ${m.peakRssMb.toFixed(0)} MiB (process baseline ${m.baseRssMb.toFixed(0)} MiB), ` +
          `${(size / 2 ** 20 / (m.ms / 1000)).toFixed(0)} MiB/s`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Run only when executed directly (bench/import.ts imports generate from here).
if (process.argv[1] && resolve(process.argv[1]) === here) await main();
