// Test and demo controls: faults, rate limits, the clock, token expiry and revocation, hook
// disabling, and views of what happened (hook deliveries, to-dos, references). Used directly by
// `startSandbox().admin` and over HTTP under /-/sandbox/.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { type FaultRule, parseFaultSpec } from '../faults/faults.ts';
import { recordSecret } from '../ledger.ts';
import type { RateLimitProfile } from '../limits/rate-limiter.ts';
import { authorizedApplications, revokeAuthorization } from '../oauth/authorize.ts';
import type { Runtime } from '../runtime.ts';
import type {
  HookEventRecord,
  IssueRecord,
  ProjectRecord,
  ReferenceRecord,
  TodoRecord,
  UserRecord,
} from '../state/types.ts';

export class SandboxAdmin {
  constructor(private readonly rt: Runtime) {}

  /** Replaces the fault rules (a --faults spec string or rules). */
  setFaults(rules: FaultRule[] | string, latencyMs?: number): void {
    this.rt.faults.set(typeof rules === 'string' ? parseFaultSpec(rules) : rules, latencyMs);
  }
  addFault(rule: FaultRule): void {
    this.rt.faults.add(rule);
  }
  clearFaults(): void {
    this.rt.faults.clear();
  }
  faults(): { rules: FaultRule[]; latencyMs: number } {
    return { rules: this.rt.faults.rules.map((r) => ({ ...r })), latencyMs: this.rt.faults.baseLatencyMs };
  }
  setLatency(ms: number): void {
    this.rt.faults.baseLatencyMs = ms;
  }
  setRateLimits(profile: RateLimitProfile): void {
    this.rt.limits.setProfile(profile);
  }
  advanceClock(ms: number): void {
    this.rt.store.clock.advance(ms);
  }

  /** Makes an OAuth access token or a personal access token expire now. */
  expireToken(token: string): boolean {
    const now = this.rt.store.now();
    const t = this.rt.store.data.oauthTokens.find((x) => x.accessToken === token || x.refreshToken === token);
    if (t) {
      t.expiresIn = Math.max(0, Math.floor((now - t.createdAt) / 1000) - 1);
      t.createdAt = Math.min(t.createdAt, now - 1000);
      return true;
    }
    const pat = this.rt.store.data.personalTokens.find((x) => x.token === token);
    if (pat) pat.expiresAt = now - 1;
    return pat !== undefined;
  }

  revokeToken(token: string): boolean {
    const t = this.rt.store.data.oauthTokens.find((x) => x.accessToken === token || x.refreshToken === token);
    if (t) t.revokedAt = this.rt.store.now();
    const pat = this.rt.store.data.personalTokens.find((x) => x.token === token);
    if (pat) pat.revoked = true;
    return t !== undefined || pat !== undefined;
  }

  /** Revokes the user's grant of an OAuth application (default: the seeded one). Returns tokens revoked. */
  revokeGrant(username: string, clientId?: string): number {
    const user = this.requireUser(username);
    const app = this.rt.store.data.oauthApps.find((a) => (clientId ? a.uid === clientId : true));
    if (!app) throw new Error(`no OAuth application ${clientId ?? ''}`);
    return revokeAuthorization({ rt: this.rt }, user.id, app.id);
  }

  authorizedApplications(username: string) {
    return authorizedApplications({ rt: this.rt }, this.requireUser(username).id);
  }

  /** Disables a hook as GitLab's auto-disabling would: temporarily (default, 1 minute) or permanently. */
  disableHook(hookId: number, mode: 'temporary' | 'permanent' = 'temporary', minutes = 1): void {
    const hook = this.rt.store.data.hooks.find((h) => h.id === hookId);
    if (!hook) throw new Error(`no hook ${hookId}`);
    if (mode === 'permanent') {
      hook.permanentlyDisabled = true;
      hook.recentFailures = Math.max(hook.recentFailures, 40);
    } else {
      hook.recentFailures = Math.max(hook.recentFailures, 4);
      hook.backoffCount = Math.max(hook.backoffCount, 1);
      hook.disabledUntil = this.rt.store.now() + minutes * 60_000;
    }
  }

  hookEvents(filter: { hookId?: number; eventName?: string } = {}): HookEventRecord[] {
    return this.rt.store.data.hookEvents.filter(
      (e) =>
        (filter.hookId === undefined || e.hookId === filter.hookId) &&
        (filter.eventName === undefined || e.eventName === filter.eventName),
    );
  }

  /** Resolves once every queued webhook delivery has finished. */
  idle(): Promise<void> {
    return this.rt.hooks.idle();
  }

  /** A new personal access token for the user. */
  createToken(username: string, scopes: string[] = ['api']): string {
    const user = this.requireUser(username);
    const token = `glpat-${randomBytes(10).toString('hex')}`;
    recordSecret('gitlab-pat', token);
    this.rt.store.data.personalTokens.push({
      id: this.rt.store.nextId('pat'),
      userId: user.id,
      name: 'sandbox-admin',
      token,
      scopes,
      createdAt: this.rt.store.now(),
      expiresAt: null,
      revoked: false,
    });
    return token;
  }

  /** Sets a user's access level on a project or group (0 removes the direct membership effect). */
  setMember(username: string, source: { project?: string; group?: string }, accessLevel: number): void {
    const user = this.requireUser(username);
    const store = this.rt.store;
    const target = source.project
      ? store.projectByPath(source.project)
      : source.group
        ? store.groupByPath(source.group)
        : undefined;
    if (!target) throw new Error('setMember: unknown project or group');
    store.setMember({
      userId: user.id,
      sourceType: source.project ? 'project' : 'group',
      sourceId: target.id,
      accessLevel,
      createdAt: store.now(),
    });
  }

  user(username: string): UserRecord | undefined {
    return this.rt.store.userByName(username);
  }
  project(path: string): ProjectRecord | undefined {
    return this.rt.store.projectByPath(path);
  }
  issue(projectPath: string, iid: number): IssueRecord | undefined {
    const p = this.project(projectPath);
    return p ? this.rt.store.issueByIid(p.id, iid) : undefined;
  }
  todos(username: string): TodoRecord[] {
    const user = this.requireUser(username);
    return this.rt.store.data.todos.filter((t) => t.userId === user.id);
  }
  references(): ReferenceRecord[] {
    return [...this.rt.store.data.references];
  }

  async save(file: string): Promise<void> {
    await writeFile(file, JSON.stringify(this.rt.store.data));
  }

  private requireUser(username: string): UserRecord {
    const u = this.rt.store.userByName(username);
    if (!u) throw new Error(`no user ${username}`);
    return u;
  }
}
