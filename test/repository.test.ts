// The repository stands on its own (issue #15): a fresh clone in any folder of a fresh machine installs on
// Node 20 without engine warnings and runs its tests without reading anything outside itself.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OLDEST_NODE = '20.19.0';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  dev?: boolean;
  optional?: boolean;
}

describe('installs on the Node the README names', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };

  it('package.json engines says the oldest Node the suite runs on', () => {
    expect(semver.minVersion(manifest.engines.node)?.version).toBe(OLDEST_NODE);
  });

  it('every locked package accepts that Node (npm ci prints no EBADENGINE)', () => {
    const refusing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      if (!path || Array.isArray(pkg.engines)) continue;
      const range = pkg.engines?.node;
      if (range && !semver.satisfies(OLDEST_NODE, range, { includePrerelease: true })) {
        refusing.push(`${path.replace(/^.*node_modules\//, '')}@${pkg.version} wants node ${range}`);
      }
    }
    expect(refusing).toEqual([]);
  });

  // The two overrides in package.json (cookie 1.1, content-disposition 2.0: the last majors for Node 20) give
  // the API the Fastify plugins call; these exercise exactly those calls.
  it('cookies are set and read back through @fastify/cookie and light-my-request with the overridden cookie', async () => {
    const app = Fastify();
    await app.register(cookie);
    app.get('/set', async (_req, reply) =>
      reply.setCookie('vb_test', 'a b;c', { httpOnly: true, sameSite: 'lax', path: '/' }).send('ok'),
    );
    app.get('/read', async (req) => ({ value: req.cookies.vb_test ?? null }));
    const set = await app.inject({ method: 'GET', url: '/set' });
    expect(set.headers['set-cookie']).toBe('vb_test=a%20b%3Bc; Path=/; HttpOnly; SameSite=Lax');
    expect(set.cookies[0]).toMatchObject({ name: 'vb_test', value: 'a b;c', httpOnly: true });
    const read = await app.inject({ method: 'GET', url: '/read', headers: { cookie: 'other=1; vb_test=a%20b%3Bc' } });
    expect(read.json()).toEqual({ value: 'a b;c' });
    const injected = await app.inject({ method: 'GET', url: '/read', cookies: { vb_test: 'plain' } });
    expect(injected.json()).toEqual({ value: 'plain' });
    await app.close();
  });

  it('downloads get a Content-Disposition through @fastify/static with the overridden content-disposition', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vb-static-'));
    try {
      writeFileSync(join(dir, 'report ü.txt'), 'hello');
      const app = Fastify();
      await app.register(fastifyStatic, { root: dir, serve: false });
      app.get('/download', async (_req, reply) => reply.download('report ü.txt'));
      const response = await app.inject({ method: 'GET', url: '/download' });
      expect(response.body).toBe('hello');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="report ?.txt"; filename*=UTF-8''report%20%C3%BC.txt`,
      );
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Source files of the repository that tests, benchmarks and scripts run (not node_modules, not output). */
function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (['node_modules', '.git', 'dist', 'data', 'test-results', 'playwright-report'].includes(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx|mts|mjs|js|cjs|json|sh)$/.test(name) || name === 'run') out.push(path);
  }
  return out;
}

// The folder beside our own checkout that a fresh clone does not have; spelt in pieces so that this
// file does not itself name it.
const SHARED = ['sha', 'red'].join('');
const NAMES_SHARED = new RegExp(`\\.\\./${SHARED}\\b|/work/${SHARED}\\b`);

/** Every place a file names another by a path relative to itself or the working folder. */
function pathsOutsideRepository(file: string, text: string, root: string): string[] {
  const found: string[] = [];
  if (NAMES_SHARED.test(text)) found.push('names the shared folder beside the checkout');
  for (const m of text.matchAll(/new URL\(\s*(['"`])([^'"`$]*)\1\s*,\s*import\.meta\.url/g)) {
    const target = resolve(dirname(file), m[2] ?? '');
    if (relative(root, target).startsWith('..')) found.push(`new URL('${m[2]}') resolves to ${target}`);
  }
  for (const m of text.matchAll(
    /(?:resolve|join)\(\s*(?:__dirname|import\.meta\.dirname)\s*,\s*(['"`])([^'"`$]*)\1/g,
  )) {
    const target = resolve(dirname(file), m[2] ?? '');
    if (relative(root, target).startsWith('..')) found.push(`${m[0]} resolves to ${target}`);
  }
  return found;
}

describe('reads nothing outside the repository', () => {
  it('no source, test, benchmark or script names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(ROOT)) {
      if (file === fileURLToPath(import.meta.url)) continue;
      for (const what of pathsOutsideRepository(file, readFileSync(file, 'utf8'), ROOT))
        offenders.push(`${relative(ROOT, file)}: ${what}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the check finds what it looks for', () => {
    const file = join(ROOT, 'test', 'http', 'x.test.ts');
    expect(
      pathsOutsideRepository(
        file,
        `readFileSync(new URL('../../../${SHARED}/fixtures/reports/a.json', import.meta.url))`,
        ROOT,
      ),
    ).toHaveLength(2);
    expect(pathsOutsideRepository(file, "new URL('../../../elsewhere/a.json', import.meta.url)", ROOT)).toHaveLength(1);
    expect(pathsOutsideRepository(file, "join(import.meta.dirname, '../../../x')", ROOT)).toHaveLength(1);
    expect(pathsOutsideRepository(file, "new URL('../fixtures/reports/a.json', import.meta.url)", ROOT)).toEqual([]);
  });

  it('every report fixture is listed in SOURCES.md with its licence', () => {
    const dir = join(ROOT, 'test', 'fixtures', 'reports');
    const sources = readFileSync(join(dir, 'SOURCES.md'), 'utf8');
    for (const name of readdirSync(dir)) {
      if (name === 'SOURCES.md' || name === 'LICENSES') continue;
      expect(sources, name).toContain(`| ${name} |`);
    }
    for (const licence of ['BSD-3-Clause', 'Apache-2.0', 'MIT']) {
      expect(readdirSync(join(dir, 'LICENSES'))).toContain(`${licence}.txt`);
    }
  });
});
