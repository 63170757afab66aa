import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc } from '../testing/helpers.ts';

let sb: Sandbox;
let alice: string;
let frank: string;
beforeAll(async () => {
  sb = await startSandbox({ rateLimits: 'off' });
  alice = sb.users[0]!.token;
  frank = sb.users.find((u) => u.username === 'frank')!.token;
});
afterAll(() => sb.close());

// Default seed, alice: Developer of acme (240 projects below it), Maintainer of acme/platform (150)
// and acme/web (20), Owner of acme/platform/security (90), owner of alice/playground, and
// Guest / Planner / Reporter of globex/alpha, beta, gamma.
describe('GET /user', () => {
  it('returns the UserPublic shape', async () => {
    const res = await api(sb, '/user', { token: alice });
    expect(res.status).toBe(200);
    const u = res.body;
    expect(u).toMatchObject({
      id: 1,
      username: 'alice',
      name: 'Alice Appsec',
      state: 'active',
      locked: false,
      email: 'alice@example.com',
      bot: false,
    });
    for (const key of [
      'avatar_url',
      'web_url',
      'created_at',
      'public_email',
      'two_factor_enabled',
      'identities',
      'can_create_group',
      'projects_limit',
    ]) {
      expect(u).toHaveProperty(key);
    }
    expect(u.web_url).toBe(`${sb.url}/alice`);
    expect(u).not.toHaveProperty('is_admin');
    const root = await api(sb, '/user', { token: sb.users.find((x) => x.username === 'root')!.token });
    expect(root.body.is_admin).toBe(true);
  });
});

describe('GET /projects', () => {
  it('pages membership with GitLab headers, empty x-next-page on the last page', async () => {
    const first = await api(sb, '/projects?membership=true&per_page=100', { token: alice });
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(100);
    expect(first.headers.get('x-total')).toBe('244');
    expect(first.headers.get('x-total-pages')).toBe('3');
    expect(first.headers.get('x-page')).toBe('1');
    expect(first.headers.get('x-per-page')).toBe('100');
    expect(first.headers.get('x-prev-page')).toBe('');
    expect(first.headers.get('x-next-page')).toBe('2');
    const link = first.headers.get('link')!;
    expect(link).toContain('rel="next"');
    expect(link).toContain('rel="last"');
    expect(link).not.toContain('rel="prev"');
    const last = await api(sb, '/projects?membership=true&per_page=100&page=3', { token: alice });
    expect(last.body).toHaveLength(44);
    expect(last.headers.get('x-next-page')).toBe('');
    expect(last.headers.get('x-prev-page')).toBe('2');
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const ids = new Set([...first.body, ...last.body].map((p: { id: number }) => p.id));
    expect(ids.size).toBe(144);
  });

  it('caps per_page at 100 and defaults to 20', async () => {
    expect((await api(sb, '/projects?membership=true&per_page=500', { token: alice })).body).toHaveLength(100);
    expect((await api(sb, '/projects?membership=true', { token: alice })).body).toHaveLength(20);
  });

  it('filters by min_access_level', async () => {
    const count = async (lvl: number) =>
      (await api(sb, `/projects?min_access_level=${lvl}&per_page=1`, { token: alice })).headers.get('x-total');
    expect(await count(10)).toBe('244');
    expect(await count(20)).toBe('242');
    expect(await count(30)).toBe('241');
    expect(await count(40)).toBe('171');
    expect(await count(50)).toBe('91');
  });

  it('searches by name or path, and returns the simple shape with simple=true', async () => {
    const res = await api(sb, '/projects?membership=true&simple=true&search=juice', { token: alice });
    expect(res.body).toHaveLength(1);
    const p = res.body[0];
    expect(Object.keys(p).sort()).toEqual(
      [
        'avatar_url',
        'created_at',
        'default_branch',
        'description',
        'forks_count',
        'http_url_to_repo',
        'id',
        'last_activity_at',
        'name',
        'name_with_namespace',
        'namespace',
        'path',
        'path_with_namespace',
        'readme_url',
        'ssh_url_to_repo',
        'star_count',
        'tag_list',
        'topics',
        'web_url',
      ].sort(),
    );
    expect(p).toMatchObject({
      name: 'Juice Shop',
      path: 'juice-shop',
      path_with_namespace: 'acme/platform/security/juice-shop',
      name_with_namespace: 'ACME / Platform / Security / Juice Shop',
      web_url: `${sb.url}/acme/platform/security/juice-shop`,
    });
    expect(p.namespace).toMatchObject({
      name: 'Security',
      path: 'security',
      kind: 'group',
      full_path: 'acme/platform/security',
    });
  });

  it('returns the full shape with permissions by default', async () => {
    const res = await api(sb, '/projects?membership=true&search=juice', { token: alice });
    const p = res.body[0];
    expect(p.visibility).toBe('private');
    expect(p.issues_enabled).toBe(true);
    expect(p._links.issues).toBe(`${sb.url}/api/v4/projects/${p.id}/issues`);
    expect(p.permissions).toEqual({ project_access: null, group_access: { access_level: 50, notification_level: 3 } });
  });

  it('orders by name and path both ways', async () => {
    const asc = await api(sb, '/projects?membership=true&order_by=name&sort=asc&per_page=100', { token: alice });
    const names = asc.body.map((p: { name: string }) => p.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    const desc = await api(sb, '/projects?membership=true&order_by=id&sort=desc&per_page=5', { token: alice });
    const ids = desc.body.map((p: { id: number }) => p.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
  });

  it('follows keyset pagination through Link rel="next" only', async () => {
    let url: string | null =
      `${sb.url}/api/v4/projects?membership=true&pagination=keyset&order_by=id&sort=asc&per_page=100`;
    const seen: number[] = [];
    let pages = 0;
    while (url) {
      const res = await api(sb, url, { token: alice });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total')).toBeNull();
      seen.push(...res.body.map((p: { id: number }) => p.id));
      const next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '');
      url = next ? next[1]! : null;
      if (url) expect(url).toContain('id_after=');
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(244);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const unsupported = await api(sb, '/projects?pagination=keyset&order_by=name', { token: alice });
    expect(unsupported.status).toBe(405);
  });

  it('lists public projects to anonymous callers, private ones only to members', async () => {
    const anon = await api(sb, '/projects?per_page=100');
    expect(anon.status).toBe(200);
    expect(anon.body.every((p: { visibility: string }) => p.visibility === 'public')).toBe(true);
    expect(anon.body.length).toBe(5);
  });
});

describe('GET /projects/:id', () => {
  it('finds a project by id or URL-encoded path', async () => {
    const byPath = await api(sb, `/projects/${enc('acme/platform/security/juice-shop')}`, { token: alice });
    expect(byPath.status).toBe(200);
    const byId = await api(sb, `/projects/${byPath.body.id}`, { token: alice });
    expect(byId.body.path_with_namespace).toBe('acme/platform/security/juice-shop');
  });

  it('answers 404 Project Not Found for a project the caller cannot see', async () => {
    const res = await api(sb, `/projects/${enc('globex/globex-auth-001')}`, { token: alice });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: '404 Project Not Found' });
    expect((await api(sb, '/projects/999999', { token: alice })).body).toEqual({ message: '404 Project Not Found' });
    expect((await api(sb, `/projects/${enc('acme/acme-auth-001')}`, { token: frank })).status).toBe(404);
  });

  it('answers unknown API routes with {"error":"404 Not Found"}', async () => {
    const res = await api(sb, '/nothing/here', { token: alice });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: '404 Not Found' });
  });
});

describe('groups', () => {
  it('lists member groups, all_available, min_access_level and search', async () => {
    const mine = await api(sb, '/groups?per_page=100', { token: alice });
    const paths = mine.body.map((g: { full_path: string }) => g.full_path).sort();
    expect(paths).toEqual([
      'acme',
      'acme/platform',
      'acme/platform/security',
      'acme/platform/security/appsec',
      'acme/web',
    ]);
    const owner = await api(sb, '/groups?min_access_level=50', { token: alice });
    expect(owner.body.map((g: { full_path: string }) => g.full_path).sort()).toEqual([
      'acme/platform/security',
      'acme/platform/security/appsec',
    ]);
    const all = await api(sb, '/groups?all_available=true&per_page=100', { token: alice });
    expect(all.body.map((g: { full_path: string }) => g.full_path)).toContain('opensource');
    const search = await api(sb, '/groups?search=sec', { token: alice });
    expect(search.body.map((g: { name: string }) => g.name).sort()).toEqual(['AppSec', 'Security']);
    const g = search.body.find((x: { name: string }) => x.name === 'Security');
    expect(g).toMatchObject({
      path: 'security',
      full_path: 'acme/platform/security',
      full_name: 'acme / platform / security',
      visibility: 'private',
      web_url: `${sb.url}/groups/acme/platform/security`,
    });
    expect(typeof g.parent_id).toBe('number');
  });

  it('lists subgroups, descendant groups and group projects with include_subgroups', async () => {
    const subs = await api(sb, '/groups/acme/subgroups', { token: alice });
    expect(subs.body.map((g: { path: string }) => g.path).sort()).toEqual(['platform', 'web']);
    const desc = await api(sb, `/groups/${enc('acme')}/descendant_groups`, { token: alice });
    expect(desc.body.map((g: { full_path: string }) => g.full_path).sort()).toEqual([
      'acme/platform',
      'acme/platform/security',
      'acme/platform/security/appsec',
      'acme/web',
    ]);
    const direct = await api(sb, '/groups/acme/projects?per_page=1', { token: alice });
    expect(direct.headers.get('x-total')).toBe('70');
    const deep = await api(sb, '/groups/acme/projects?include_subgroups=true&per_page=1', { token: alice });
    expect(deep.headers.get('x-total')).toBe('240');
    expect((await api(sb, '/groups/globex/projects', { token: frank })).status).toBe(404);
  });

  it('lets a member of a deep subgroup see its ancestors but not its siblings', async () => {
    const all = await api(sb, '/groups?all_available=true&per_page=100', { token: frank });
    const paths = all.body.map((g: { full_path: string }) => g.full_path);
    expect(paths).toContain('acme');
    expect(paths).toContain('acme/platform/security/appsec');
    expect(paths).not.toContain('acme/web');
    expect(paths).not.toContain('globex');
  });
});

describe('members and milestones', () => {
  it('lists direct and inherited members with access levels', async () => {
    const p = `/projects/${enc('globex/beta')}`;
    const direct = await api(sb, `${p}/members`, { token: alice });
    expect(direct.body.map((m: { username: string; access_level: number }) => [m.username, m.access_level])).toEqual([
      ['alice', 15],
    ]);
    const all = await api(sb, `${p}/members/all`, { token: alice });
    expect(all.body.map((m: { username: string; access_level: number }) => [m.username, m.access_level])).toEqual([
      ['alice', 15],
      ['root', 50],
    ]);
    expect(all.body[0]).toMatchObject({ state: 'active', membership_state: 'active', expires_at: null });
  });

  it('lists milestones with the documented fields', async () => {
    const res = await api(sb, `/projects/${enc('acme/platform/security/juice-shop')}/milestones`, { token: alice });
    expect(res.body.map((m: { title: string }) => m.title).sort()).toEqual(['v1.0', 'v1.1']);
    expect(Object.keys(res.body[0]).sort()).toEqual(
      [
        'created_at',
        'description',
        'due_date',
        'expired',
        'id',
        'iid',
        'project_id',
        'start_date',
        'state',
        'title',
        'updated_at',
        'web_url',
      ].sort(),
    );
  });
});
