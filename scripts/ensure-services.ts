// What `npm test` needs that npm does not bring: Debian's Chromium for the browser tests, Debian's wapiti
// for the Wapiti live test (test/wapiti.test.ts), and a running
// PostgreSQL on 127.0.0.1:5432 that trusts the `postgres` user. Installs with apt-get when missing
// (the test machines run as root) and starts the server when it is stopped.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let aptUpdated = false;

function run(command: string): void {
  console.log(`$ ${command}`);
  execSync(command, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function aptInstall(...packages: string[]): void {
  if (!aptUpdated) run('apt-get update -qq');
  aptUpdated = true;
  run(`apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`);
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function trustLoopback(version: string): void {
  const path = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const text = readFileSync(path, 'utf8');
  const trusted = text.replace(/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/gm, '$1trust');
  if (trusted !== text) writeFileSync(path, trusted);
}

export async function ensurePostgres(): Promise<void> {
  if (await postgresAnswers()) return;
  if (!existsSync('/etc/postgresql')) {
    console.log("PostgreSQL is not installed; installing Debian's postgresql");
    aptInstall('postgresql');
    const [version] = readdirSync('/etc/postgresql');
    if (version) trustLoopback(version);
  }
  const [version] = readdirSync('/etc/postgresql');
  if (!version) throw new Error('no PostgreSQL cluster under /etc/postgresql');
  console.log(`starting PostgreSQL ${version}`);
  run(`pg_ctlcluster --skip-systemctl-redirect ${version} main start || true`);
  for (let i = 0; i < 40; i++) {
    if (await postgresAnswers()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`PostgreSQL does not answer at ${POSTGRES_URL}`);
}

export function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium')) return;
  console.log("Chromium is not installed; installing Debian's chromium");
  aptInstall('chromium', 'fonts-liberation');
}

/** Debian's wapiti (3.0.4 on bookworm): test/wapiti.test.ts scans a loopback app with it. */
export function ensureWapiti(): void {
  if (existsSync('/usr/bin/wapiti')) return;
  console.log("wapiti is not installed; installing Debian's wapiti");
  aptInstall('wapiti');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureChromium();
  ensureWapiti();
  await ensurePostgres();
  console.log('Chromium, wapiti and PostgreSQL are ready');
}
