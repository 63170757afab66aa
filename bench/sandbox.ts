// GitLab sandbox throughput on loopback, no latency injected, rate limits off.
// Run: npx tsx bench/sandbox.ts [seconds] [concurrency]
// The sandbox runs as `vulnbridge gitlab-sandbox` in its own process (as the demo and people use
// it), so client and server do not share one event loop. Prints requests per second for a
// read-heavy mix like Vulnbridge's (user, project, issue lists by label, one issue, its notes) and
// for issue + note creation. The target is >= 2,000 req/s.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? 3);
const concurrency = Number(process.argv[3] ?? 32);

const bin = fileURLToPath(new URL('../bin/vulnbridge.js', import.meta.url));
const child = spawn(process.execPath, [bin, 'gitlab-sandbox', '--port', '0', '--rate-limits', 'off'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let firstLine = '';
for await (const chunk of child.stdout) {
  firstLine += String(chunk);
  if (firstLine.includes('\n')) break;
}
const sb = JSON.parse(firstLine.split('\n')[0] ?? '{}') as { url: string; users: { token: string }[] };
const token = sb.users[0]?.token ?? '';
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const url = new URL(sb.url);
const project = encodeURIComponent('acme/platform/security/juice-shop');

function call(method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent,
        headers: {
          'PRIVATE-TOKEN': token,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// Some data to read.
for (let i = 0; i < 50; i += 1) {
  await call('POST', `/api/v4/projects/${project}/issues`, {
    title: `bench ${i}`,
    labels: `Vulnbridge,VB-BENCH${String(i).padStart(6, '0')}`,
  });
}

const reads = [
  '/api/v4/user',
  `/api/v4/projects/${project}`,
  `/api/v4/projects/${project}/issues?labels=Vulnbridge&per_page=20`,
  `/api/v4/projects/${project}/issues/10`,
  `/api/v4/projects/${project}/issues/10/notes`,
  '/api/v4/projects?membership=true&simple=true&per_page=20&search=auth',
];

async function run(label: string, next: (i: number) => Promise<number>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      let i = w;
      while (performance.now() < deadline) {
        const status = await next(i);
        if (status >= 400) failed += 1;
        done += 1;
        i += concurrency;
      }
    }),
  );
  const rps = done / ((performance.now() - started) / 1000);
  console.log(`${label}: ${Math.round(rps)} req/s (${done} requests, ${failed} failed, concurrency ${concurrency})`);
  return rps;
}

const readRps = await run('reads', (i) => call('GET', reads[i % reads.length] ?? '/api/v4/user'));
const writeRps = await run('writes', (i) =>
  i % 2 === 0
    ? call('POST', `/api/v4/projects/${project}/issues`, { title: `w${i}`, labels: 'Vulnbridge' })
    : call('POST', `/api/v4/projects/${project}/issues/10/notes`, { body: `note ${i}` }),
);
agent.destroy();
child.kill('SIGTERM');
await once(child, 'exit');
const ok = readRps >= 2000;
console.log(ok ? 'OK: >= 2,000 req/s on reads' : 'BELOW TARGET: < 2,000 req/s on reads');
console.log(JSON.stringify({ readRps: Math.round(readRps), writeRps: Math.round(writeRps) }));
process.exitCode = ok ? 0 : 1;
