// Seed data: a readable spec (users, groups, projects) turned into records, plus the default seed.
import { randomBytes } from 'node:crypto';
import { type Store, emptyData, Store as StoreClass } from './store.ts';
import { AccessLevel, type Visibility } from './types.ts';

export type LevelName = keyof typeof AccessLevel;

export interface SeedSpec {
  users: { username: string; name?: string; email?: string; password?: string; admin?: boolean; token?: string }[];
  groups: { path: string; name?: string; visibility?: Visibility; members?: Record<string, LevelName | number> }[];
  projects: {
    path: string;
    name?: string;
    description?: string;
    visibility?: Visibility;
    members?: Record<string, LevelName | number>;
    labels?: { name: string; color?: string }[];
    milestones?: string[];
    issues?: { title: string; description?: string; labels?: string[]; author?: string; state?: 'opened' | 'closed' }[];
  }[];
  oauthApplication?: { name?: string; clientId?: string; clientSecret?: string; redirectUris?: string[] };
}

export interface SeedInfo {
  users: { username: string; password: string; token: string }[];
  oauthApplication: { clientId: string; clientSecret: string; redirectUris: string[] };
}

export const DEFAULT_REDIRECT_URI = 'http://localhost:8080/api/integrations/gitlab/oauth/callback';

const WORDS = [
  'billing',
  'auth',
  'search',
  'payments',
  'catalog',
  'gateway',
  'inventory',
  'mobile',
  'reports',
  'portal',
];

/** The default world: 7 users, a root group with 3 levels of subgroups, 260+ projects. */
export function defaultSeedSpec(): SeedSpec {
  const users = [
    { username: 'alice', name: 'Alice Appsec' },
    { username: 'bob', name: 'Bob Builder' },
    { username: 'carol', name: 'Carol Reporter' },
    { username: 'dave', name: 'Dave Guest' },
    { username: 'erin', name: 'Erin Planner' },
    { username: 'frank', name: 'Frank Developer' },
    { username: 'root', name: 'Administrator', admin: true },
  ];
  const groups: SeedSpec['groups'] = [
    {
      path: 'acme',
      name: 'ACME',
      members: { alice: 'developer', bob: 'owner', carol: 'reporter', dave: 'guest', erin: 'planner' },
    },
    { path: 'acme/platform', name: 'Platform', members: { alice: 'maintainer' } },
    { path: 'acme/platform/security', name: 'Security', members: { alice: 'owner' } },
    { path: 'acme/platform/security/appsec', name: 'AppSec', members: { frank: 'developer' } },
    { path: 'acme/web', name: 'Web', members: { alice: 'maintainer' } },
    { path: 'globex', name: 'Globex', members: { root: 'owner' } },
    { path: 'opensource', name: 'Open Source', visibility: 'public', members: { root: 'owner' } },
  ];
  const counts: [string, number][] = [
    ['acme', 70],
    ['acme/platform', 60],
    ['acme/platform/security', 47],
    ['acme/platform/security/appsec', 40],
    ['acme/web', 20],
    ['globex', 15],
    ['opensource', 5],
  ];
  const projects: SeedSpec['projects'] = [
    {
      path: 'acme/platform/security/juice-shop',
      name: 'Juice Shop',
      description: 'Deliberately vulnerable web shop, scanned nightly',
      labels: [
        { name: 'bug', color: '#d9534f' },
        { name: 'security', color: '#ad4363' },
        { name: 'critical', color: '#ff0000' },
      ],
      milestones: ['v1.0', 'v1.1'],
      issues: [
        { title: 'Login page leaks stack traces', labels: ['bug'], author: 'bob' },
        { title: 'Upgrade the session library', author: 'alice', state: 'closed' },
      ],
    },
    { path: 'acme/platform/security/webgoat', name: 'WebGoat', description: 'Training application' },
    { path: 'acme/platform/security/dvwa', name: 'DVWA', description: 'Damn Vulnerable Web Application' },
    { path: 'alice/playground', name: 'Playground', description: "Alice's personal project" },
    { path: 'globex/alpha', name: 'Alpha', members: { alice: 'guest' } },
    { path: 'globex/beta', name: 'Beta', members: { alice: 'planner' } },
    { path: 'globex/gamma', name: 'Gamma', members: { alice: 'reporter' } },
  ];
  for (const [group, n] of counts) {
    for (let i = 1; i <= n; i += 1) {
      const word = WORDS[i % WORDS.length] ?? 'service';
      const num = String(i).padStart(3, '0');
      const leaf = group.split('/').pop() ?? group;
      projects.push({
        path: `${group}/${leaf}-${word}-${num}`,
        name: `${leaf} ${word} ${num}`,
        description: `The ${word} service (${leaf})`,
        visibility: group === 'opensource' ? 'public' : i % 10 === 0 ? 'internal' : 'private',
      });
    }
  }
  return { users, groups, projects };
}

function level(value: LevelName | number): number {
  return typeof value === 'number' ? value : AccessLevel[value];
}

function secretHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Builds a store from a spec. Returns the store and the credentials to print. */
export function buildFromSpec(spec: SeedSpec, redirectUris: string[] | undefined): { store: Store; info: SeedInfo } {
  const store = new StoreClass(emptyData());
  const now = store.now();
  const info: SeedInfo = { users: [], oauthApplication: { clientId: '', clientSecret: '', redirectUris: [] } };
  for (const u of spec.users) {
    const user = store.addUser({
      id: store.nextId('user'),
      username: u.username,
      name: u.name ?? u.username,
      email: u.email ?? `${u.username}@example.com`,
      password: u.password ?? `${u.username}-sandbox-pass`,
      admin: u.admin ?? false,
      createdAt: now,
    });
    const token = u.token ?? `glpat-${secretHex(10)}`;
    store.data.personalTokens.push({
      id: store.nextId('pat'),
      userId: user.id,
      name: 'sandbox',
      token,
      scopes: ['api'],
      createdAt: now,
      expiresAt: null,
      revoked: false,
    });
    info.users.push({ username: user.username, password: user.password, token });
  }
  const memberships = (type: 'group' | 'project', id: number, members?: Record<string, LevelName | number>) => {
    for (const [username, lvl] of Object.entries(members ?? {})) {
      const user = store.userByName(username);
      if (!user) throw new Error(`seed: unknown user ${username}`);
      store.setMember({ userId: user.id, sourceType: type, sourceId: id, accessLevel: level(lvl), createdAt: now });
    }
  };
  for (const g of spec.groups) {
    const parts = g.path.split('/');
    const parentPath = parts.slice(0, -1).join('/');
    const parent = parentPath ? store.groupByPath(parentPath) : undefined;
    if (parentPath && !parent) throw new Error(`seed: group ${g.path} listed before its parent`);
    const path = parts[parts.length - 1] ?? g.path;
    const group = store.addGroup({
      id: store.nextId('namespace'),
      name: g.name ?? path,
      path,
      fullPath: g.path,
      parentId: parent?.id ?? null,
      description: '',
      visibility: g.visibility ?? 'private',
      createdAt: now,
    });
    memberships('group', group.id, g.members);
  }
  for (const p of spec.projects) {
    const nsPath = p.path.split('/').slice(0, -1).join('/');
    const path = p.path.split('/').pop() ?? p.path;
    const group = store.groupByPath(nsPath);
    const owner = group ? undefined : store.userByName(nsPath);
    if (!group && !owner) throw new Error(`seed: unknown namespace ${nsPath}`);
    const project = store.addProject({
      id: store.nextId('project'),
      name: p.name ?? path,
      path,
      description: p.description ?? '',
      groupId: group?.id ?? null,
      ownerUserId: owner?.id ?? null,
      visibility: p.visibility ?? 'private',
      createdAt: now,
      lastActivityAt: now,
      nextIssueIid: 1,
      nextMilestoneIid: 1,
    });
    memberships('project', project.id, p.members);
    for (const l of p.labels ?? []) {
      store.addLabel({
        id: store.nextId('label'),
        projectId: project.id,
        name: l.name,
        color: l.color ?? '#6699cc',
        description: null,
        priority: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    for (const title of p.milestones ?? []) {
      store.data.milestones.push({
        id: store.nextId('milestone'),
        iid: project.nextMilestoneIid++,
        projectId: project.id,
        title,
        description: '',
        state: 'active',
        dueDate: null,
        startDate: null,
        createdAt: now,
        updatedAt: now,
      });
    }
    for (const i of p.issues ?? []) {
      const author = store.userByName(i.author ?? spec.users[0]?.username ?? '') ?? store.data.users[0];
      if (!author) throw new Error('seed: issues need a user');
      store.addIssue({
        id: store.nextId('issue'),
        iid: project.nextIssueIid++,
        projectId: project.id,
        title: i.title,
        description: i.description ?? '',
        state: i.state ?? 'opened',
        authorId: author.id,
        assigneeIds: [],
        labelIds: (i.labels ?? []).map((name) => store.labelByName(project.id, name)?.id ?? 0).filter((id) => id > 0),
        milestoneId: null,
        dueDate: null,
        confidential: false,
        discussionLocked: null,
        issueType: 'issue',
        createdAt: now,
        updatedAt: now,
        closedAt: i.state === 'closed' ? now : null,
        closedById: i.state === 'closed' ? author.id : null,
        updatedById: null,
        lastEditedAt: null,
        lastEditedById: null,
      });
    }
  }
  const app = spec.oauthApplication ?? {};
  const uris = redirectUris?.length ? redirectUris : (app.redirectUris ?? [DEFAULT_REDIRECT_URI]);
  const record = {
    id: store.nextId('oauthApp'),
    name: app.name ?? 'Vulnbridge',
    uid: app.clientId ?? secretHex(32),
    secret: app.clientSecret ?? `gloas-${secretHex(32)}`,
    redirectUris: uris,
    scopes: ['api', 'read_api', 'read_user', 'openid', 'profile', 'email'],
    confidential: true,
    createdAt: now,
  };
  store.data.oauthApps.push(record);
  info.oauthApplication = { clientId: record.uid, clientSecret: record.secret, redirectUris: uris };
  return { store, info };
}
