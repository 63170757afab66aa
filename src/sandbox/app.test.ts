import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLevel, type SeedSpec, defaultSeedSpec, startSandbox } from './index.ts';
import { api, enc } from './testing/helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gitlab-sandbox-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('default seed', () => {
  it('has 250+ projects, a root group with 3 levels of subgroups, and every access level', async () => {
    const sb = await startSandbox();
    try {
      const data = sb.store.data;
      expect(data.projects.length).toBeGreaterThanOrEqual(250);
      const depth = Math.max(...data.groups.map((g) => g.fullPath.split('/').length));
      expect(depth).toBe(4);
      const levels = new Set(data.members.map((m) => m.accessLevel));
      for (const lvl of [
        AccessLevel.guest,
        AccessLevel.planner,
        AccessLevel.reporter,
        AccessLevel.developer,
        AccessLevel.maintainer,
        AccessLevel.owner,
      ]) {
        expect(levels.has(lvl)).toBe(true);
      }
      expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sb.apiUrl).toBe(`${sb.url}/api/v4`);
      const maintained = await api(sb, '/projects?min_access_level=40&per_page=1', { token: sb.users[0]!.token });
      expect(Number(maintained.headers.get('x-total'))).toBeGreaterThan(3);
      const groups = await api(sb, '/groups?per_page=100', { token: sb.users[0]!.token });
      expect(groups.body.map((g: { full_path: string }) => g.full_path)).toContain('acme/platform/security/appsec');
      const info = await api(sb, '/-/sandbox/info');
      expect(info.body.users[0].username).toBe('alice');
      expect(info.body.rateLimits).toBe('self-managed');
      expect(defaultSeedSpec().projects.length).toBe(data.projects.length);
    } finally {
      await sb.close();
    }
  });
});

describe('seed files and saved state', () => {
  it('starts from a seed spec file', async () => {
    const spec: SeedSpec = {
      users: [{ username: 'solo', token: 'glpat-fixedfixedfixed1234' }],
      groups: [{ path: 'g', members: { solo: 'maintainer' } }],
      projects: [{ path: 'g/p', labels: [{ name: 'x' }], issues: [{ title: 'first' }] }],
      oauthApplication: { clientId: 'cid', clientSecret: 'csecret', redirectUris: ['http://localhost/cb'] },
    };
    const file = join(dir, 'seed.json');
    await writeFile(file, JSON.stringify(spec));
    const sb = await startSandbox({ seed: file });
    try {
      expect(sb.users).toEqual([
        { username: 'solo', password: 'solo-sandbox-pass', token: 'glpat-fixedfixedfixed1234' },
      ]);
      expect(sb.oauthApplication).toEqual({
        clientId: 'cid',
        clientSecret: 'csecret',
        redirectUris: ['http://localhost/cb'],
      });
      const issues = await api(sb, `/projects/${enc('g/p')}/issues`, { token: 'glpat-fixedfixedfixed1234' });
      expect(issues.body.map((i: { title: string }) => i.title)).toEqual(['first']);
    } finally {
      await sb.close();
    }
  });

  it('saves state to a JSON file on close and loads it again', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startSandbox({ stateFile });
    const token = first.users[0]!.token;
    const created = await api(first, `/projects/${enc('acme/web/web-auth-001')}/issues`, {
      token,
      body: { title: 'persisted' },
    });
    expect(created.status).toBe(201);
    await first.close();
    const second = await startSandbox({ stateFile });
    try {
      expect(second.users[0]!.token).toBe(token);
      const again = await api(second, `/projects/${enc('acme/web/web-auth-001')}/issues/${created.body.iid}`, {
        token,
      });
      expect(again.body.title).toBe('persisted');
      const next = await api(second, `/projects/${enc('acme/web/web-auth-001')}/issues`, {
        token,
        body: { title: 'after reload' },
      });
      expect(next.body.id).toBeGreaterThan(created.body.id);
    } finally {
      await second.close();
    }
  });
});

describe('vulnbridge gitlab-sandbox', () => {
  it('prints exactly one JSON line with url, users and the OAuth application', async () => {
    const bin = fileURLToPath(new URL('../../bin/vulnbridge.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        bin,
        'gitlab-sandbox',
        '--port',
        '0',
        '--rate-limits',
        'off',
        '--redirect-uri',
        'http://localhost:5173/cb',
        '--redirect-uri',
        'http://localhost:8080/cb',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      for await (const chunk of child.stdout) {
        out += String(chunk);
        if (out.includes('\n')) break;
      }
      const lines = out.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const printed = JSON.parse(lines[0]!);
      expect(Object.keys(printed)).toEqual(['url', 'users', 'oauthApplication']);
      expect(Object.keys(printed.users[0])).toEqual(['username', 'password', 'token']);
      expect(Object.keys(printed.oauthApplication)).toEqual(['clientId', 'clientSecret', 'redirectUris']);
      expect(printed.oauthApplication.redirectUris).toEqual(['http://localhost:5173/cb', 'http://localhost:8080/cb']);
      const me = await api(printed, '/user', { token: printed.users[0].token });
      expect(me.body.username).toBe(printed.users[0].username);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 20_000);
});
