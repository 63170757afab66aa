// `npm test`: the whole suite. Installs/starts what it needs (Chromium, wapiti, PostgreSQL), then type-checks,
// lints, runs Vitest (unit and integration, each data-layer and route test on SQLite and PostgreSQL),
// builds the web app and runs the Playwright browser tests. The last line counts every test that ran:
// `N passed, N failed` (type-check and lint count as one test each).
//
// Secrets never leak (issue #9): for the whole run, VB_SECRET_LEDGER_DIR collects every secret that
// exists (the sandbox's tokens, the clients' passwords, sessions, API tokens) and VB_CAPTURE_DIR every hub
// log, API response and page (fresh each run, under test-results/secrets/); after the browser tests
// scripts/secret-scan.ts searches the one for the other, and counts as one test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium, ensurePostgres, ensureWapiti } from './ensure-services.ts';

const started = Date.now();
let passed = 0;
let failed = 0;
let skipped = 0;
const out = mkdtempSync(join(tmpdir(), 'vb-results-'));
const secrets = join('test-results', 'secrets');
rmSync(secrets, { recursive: true, force: true });
process.env.VB_SECRET_LEDGER_DIR = join(process.cwd(), secrets, 'ledger');
process.env.VB_CAPTURE_DIR = join(process.cwd(), secrets, 'capture');
mkdirSync(process.env.VB_SECRET_LEDGER_DIR, { recursive: true });
mkdirSync(process.env.VB_CAPTURE_DIR, { recursive: true });

function step(name: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(name: string, ok: boolean): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'passed' : 'FAILED'}: ${name}`);
}

ensureChromium();
ensureWapiti();
await ensurePostgres();

check('typecheck', step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']));
// `biome ci`: the linter and the formatter (120 columns); a file not formatted fails like a lint error.
check('lint and format', step('lint and format', 'npx', ['biome', 'ci', '.']));

const vitestJson = join(out, 'vitest.json');
// LOG_FILE: the `vulnbridge` processes tests start also write their logs into the capture.
const vitestOk = step(
  'unit and integration tests',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  {
    LOG_FILE: join(process.env.VB_CAPTURE_DIR, 'log-cli-processes.log'),
  },
);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (!vitestOk && report.numFailedTests === 0) failed++; // a suite that failed to load
} else {
  failed++;
}

if (existsSync('playwright.config.ts')) {
  const built = step('build the web app', 'npx', ['vite', 'build', '--logLevel', 'warn']);
  const playwrightJson = join(out, 'playwright.json');
  const ok =
    built &&
    step('browser tests', 'npx', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
      LOG_FILE: join(process.env.VB_CAPTURE_DIR, 'log-cli-processes-e2e.log'),
    });
  if (existsSync(playwrightJson)) {
    const stats = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    skipped += stats.skipped;
    if (!ok && stats.unexpected === 0) failed++;
  } else {
    failed++;
  }
}

check('secrets never leak', step('secret scan', 'npx', ['tsx', 'scripts/secret-scan.ts']));

const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`\nsuite time ${seconds} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
