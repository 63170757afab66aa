// In-memory state with lookup indexes. Every write goes through here so the indexes stay right.
import type {
  GroupRecord,
  IssueRecord,
  LabelRecord,
  MemberRecord,
  NoteRecord,
  ProjectRecord,
  SandboxData,
  UserRecord,
} from './types.ts';
import { AccessLevel } from './types.ts';

export function emptyData(): SandboxData {
  return {
    version: 1,
    nextId: {},
    users: [],
    groups: [],
    projects: [],
    members: [],
    labels: [],
    milestones: [],
    issues: [],
    notes: [],
    hooks: [],
    hookEvents: [],
    personalTokens: [],
    oauthApps: [],
    oauthGrants: [],
    oauthTokens: [],
    todos: [],
    references: [],
  };
}

/** A clock that tests can move forward (token expiry, rate-limit windows, hook back-off). */
export class Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export class Store {
  readonly data: SandboxData;
  readonly clock: Clock;
  private usersById = new Map<number, UserRecord>();
  private usersByName = new Map<string, UserRecord>();
  private groupsById = new Map<number, GroupRecord>();
  private groupsByPath = new Map<string, GroupRecord>();
  private projectsById = new Map<number, ProjectRecord>();
  private projectsByPath = new Map<string, ProjectRecord>();
  private memberIndex = new Map<string, MemberRecord>();
  private issuesByProject = new Map<number, IssueRecord[]>();
  private notesByIssue = new Map<number, NoteRecord[]>();
  private labelsByProject = new Map<number, LabelRecord[]>();
  /** Effective group access per `${userId}:${groupId}`; cleared on membership or group changes. */
  private groupAccessCache = new Map<string, number>();

  constructor(data: SandboxData, clock = new Clock()) {
    this.data = data;
    this.clock = clock;
    this.reindex();
  }

  now(): number {
    return this.clock.now();
  }

  nextId(kind: string): number {
    const id = (this.data.nextId[kind] ?? 0) + 1;
    this.data.nextId[kind] = id;
    return id;
  }

  reindex(): void {
    this.usersById.clear();
    this.usersByName.clear();
    for (const u of this.data.users) this.indexUser(u);
    this.groupsById.clear();
    this.groupsByPath.clear();
    for (const g of this.data.groups) this.indexGroup(g);
    this.projectsById.clear();
    this.projectsByPath.clear();
    for (const p of this.data.projects) this.indexProject(p);
    this.memberIndex.clear();
    this.groupAccessCache.clear();
    for (const m of this.data.members) this.memberIndex.set(memberKey(m.sourceType, m.sourceId, m.userId), m);
    this.issuesByProject.clear();
    for (const i of this.data.issues) pushTo(this.issuesByProject, i.projectId, i);
    this.notesByIssue.clear();
    for (const n of this.data.notes) pushTo(this.notesByIssue, n.issueId, n);
    this.labelsByProject.clear();
    for (const l of this.data.labels) pushTo(this.labelsByProject, l.projectId, l);
  }

  private indexUser(u: UserRecord): void {
    this.usersById.set(u.id, u);
    this.usersByName.set(u.username.toLowerCase(), u);
  }
  private indexGroup(g: GroupRecord): void {
    this.groupsById.set(g.id, g);
    this.groupsByPath.set(g.fullPath.toLowerCase(), g);
  }
  private indexProject(p: ProjectRecord): void {
    this.projectsById.set(p.id, p);
    this.projectsByPath.set(this.projectFullPath(p).toLowerCase(), p);
  }

  // ---- users
  addUser(u: UserRecord): UserRecord {
    this.data.users.push(u);
    this.indexUser(u);
    return u;
  }
  user(id: number): UserRecord | undefined {
    return this.usersById.get(id);
  }
  userByName(username: string): UserRecord | undefined {
    return this.usersByName.get(username.toLowerCase());
  }

  // ---- groups
  addGroup(g: GroupRecord): GroupRecord {
    this.groupAccessCache.clear();
    this.data.groups.push(g);
    this.indexGroup(g);
    return g;
  }
  group(id: number): GroupRecord | undefined {
    return this.groupsById.get(id);
  }
  groupByPath(path: string): GroupRecord | undefined {
    return this.groupsByPath.get(path.toLowerCase());
  }
  /** The group and its ancestors, nearest first. */
  groupChain(groupId: number | null): GroupRecord[] {
    const chain: GroupRecord[] = [];
    let g = groupId === null ? undefined : this.groupsById.get(groupId);
    while (g) {
      chain.push(g);
      g = g.parentId === null ? undefined : this.groupsById.get(g.parentId);
    }
    return chain;
  }
  /** Every group below the given one (not including it). */
  descendantGroups(groupId: number): GroupRecord[] {
    const out: GroupRecord[] = [];
    const walk = (id: number): void => {
      for (const g of this.data.groups) {
        if (g.parentId === id) {
          out.push(g);
          walk(g.id);
        }
      }
    };
    walk(groupId);
    return out;
  }

  // ---- projects
  addProject(p: ProjectRecord): ProjectRecord {
    this.data.projects.push(p);
    this.indexProject(p);
    return p;
  }
  project(id: number): ProjectRecord | undefined {
    return this.projectsById.get(id);
  }
  projectByPath(path: string): ProjectRecord | undefined {
    return this.projectsByPath.get(path.toLowerCase());
  }
  projectNamespacePath(p: ProjectRecord): string {
    if (p.groupId !== null) return this.groupsById.get(p.groupId)?.fullPath ?? '';
    return this.usersById.get(p.ownerUserId ?? 0)?.username ?? '';
  }
  projectFullPath(p: ProjectRecord): string {
    return `${this.projectNamespacePath(p)}/${p.path}`;
  }

  // ---- memberships
  setMember(m: MemberRecord): void {
    this.groupAccessCache.clear();
    const key = memberKey(m.sourceType, m.sourceId, m.userId);
    const existing = this.memberIndex.get(key);
    if (existing) existing.accessLevel = m.accessLevel;
    else {
      this.data.members.push(m);
      this.memberIndex.set(key, m);
    }
  }
  directMember(sourceType: 'group' | 'project', sourceId: number, userId: number): MemberRecord | undefined {
    return this.memberIndex.get(memberKey(sourceType, sourceId, userId));
  }
  groupAccess(userId: number, groupId: number): number {
    const key = `${userId}:${groupId}`;
    const cached = this.groupAccessCache.get(key);
    if (cached !== undefined) return cached;
    let level: number = AccessLevel.none;
    for (const g of this.groupChain(groupId)) {
      level = Math.max(level, this.directMember('group', g.id, userId)?.accessLevel ?? 0);
    }
    this.groupAccessCache.set(key, level);
    return level;
  }
  projectAccess(userId: number, p: ProjectRecord): number {
    if (p.ownerUserId === userId) return AccessLevel.owner;
    let level = this.directMember('project', p.id, userId)?.accessLevel ?? 0;
    if (p.groupId !== null) level = Math.max(level, this.groupAccess(userId, p.groupId));
    return level;
  }

  // ---- issues, notes, labels
  addIssue(i: IssueRecord): IssueRecord {
    this.data.issues.push(i);
    pushTo(this.issuesByProject, i.projectId, i);
    return i;
  }
  projectIssues(projectId: number): IssueRecord[] {
    return this.issuesByProject.get(projectId) ?? [];
  }
  issueByIid(projectId: number, iid: number): IssueRecord | undefined {
    return this.projectIssues(projectId).find((i) => i.iid === iid);
  }
  issueById(id: number): IssueRecord | undefined {
    return this.data.issues.find((i) => i.id === id);
  }
  removeIssue(issue: IssueRecord): void {
    this.data.issues = this.data.issues.filter((i) => i !== issue);
    this.issuesByProject.set(
      issue.projectId,
      this.projectIssues(issue.projectId).filter((i) => i !== issue),
    );
    this.data.notes = this.data.notes.filter((n) => n.issueId !== issue.id);
    this.notesByIssue.delete(issue.id);
  }
  addNote(n: NoteRecord): NoteRecord {
    this.data.notes.push(n);
    pushTo(this.notesByIssue, n.issueId, n);
    return n;
  }
  issueNotes(issueId: number): NoteRecord[] {
    return this.notesByIssue.get(issueId) ?? [];
  }
  removeNote(note: NoteRecord): void {
    this.data.notes = this.data.notes.filter((n) => n !== note);
    this.notesByIssue.set(
      note.issueId,
      this.issueNotes(note.issueId).filter((n) => n !== note),
    );
  }
  addLabel(l: LabelRecord): LabelRecord {
    this.data.labels.push(l);
    pushTo(this.labelsByProject, l.projectId, l);
    return l;
  }
  projectLabels(projectId: number): LabelRecord[] {
    return this.labelsByProject.get(projectId) ?? [];
  }
  /** Label titles match exactly (after trimming), as GitLab's `where(title:)` lookups do. */
  labelByName(projectId: number, name: string): LabelRecord | undefined {
    const wanted = name.trim();
    return this.projectLabels(projectId).find((l) => l.name === wanted);
  }
  label(id: number): LabelRecord | undefined {
    return this.data.labels.find((l) => l.id === id);
  }
  removeLabel(label: LabelRecord): void {
    this.data.labels = this.data.labels.filter((l) => l !== label);
    this.labelsByProject.set(
      label.projectId,
      this.projectLabels(label.projectId).filter((l) => l !== label),
    );
    for (const i of this.projectIssues(label.projectId)) i.labelIds = i.labelIds.filter((id) => id !== label.id);
  }
}

function memberKey(type: string, id: number, userId: number): string {
  return `${type}:${id}:${userId}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
