// Asynchronous webhook delivery with GitLab's headers, a timeout (10 s by default), the hook event
// log, auto-disabling (4 consecutive failures: temporarily, back-off from 1 minute doubling to 24 h;
// 40: permanently) and resend keeping the Idempotency-Key.
import { randomUUID } from 'node:crypto';
import type { Store } from '../state/store.ts';
import type { HookEventRecord, HookRecord } from '../state/types.ts';

export type HookTrigger = 'issue' | 'confidential_issue' | 'note' | 'confidential_note';

export const GITLAB_VERSION = '18.2.0';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// X-Gitlab-Event is the hook scope titleized: confidential_issue_hooks -> "Confidential Issue Hook".
const EVENT_NAMES: Record<HookTrigger, string> = {
  issue: 'Issue Hook',
  confidential_issue: 'Confidential Issue Hook',
  note: 'Note Hook',
  confidential_note: 'Confidential Note Hook',
};

export function hookWants(h: HookRecord, trigger: HookTrigger): boolean {
  if (trigger === 'issue') return h.issuesEvents;
  if (trigger === 'confidential_issue') return h.confidentialIssuesEvents;
  if (trigger === 'note') return h.noteEvents;
  return h.confidentialNoteEvents;
}

export function hookExecutable(h: HookRecord, now: number): boolean {
  return !h.permanentlyDisabled && (h.disabledUntil === null || h.disabledUntil <= now);
}

export class HookDispatcher {
  private inFlight = new Set<Promise<unknown>>();
  /** Called with every finished delivery (tests and the admin API watch this). */
  listeners = new Set<(event: HookEventRecord) => void>();

  constructor(
    private readonly store: Store,
    private readonly instanceUrl: () => string,
    private readonly timeoutMs: number,
  ) {}

  /** Queues a delivery of `payload` to every hook of the project that wants this trigger. */
  emit(projectId: number, trigger: HookTrigger, payload: unknown): void {
    const eventUuid = randomUUID();
    const now = this.store.now();
    for (const hook of this.store.data.hooks) {
      if (hook.projectId !== projectId || !hookWants(hook, trigger) || !hookExecutable(hook, now)) continue;
      this.track(this.deliver(hook, EVENT_NAMES[trigger], `${trigger}_hooks`, payload, randomUUID(), eventUuid, true));
    }
  }

  /** Runs one delivery now (used by the test endpoint); resolves with its log record. */
  deliverNow(hook: HookRecord, trigger: HookTrigger, payload: unknown): Promise<HookEventRecord> {
    const p = this.deliver(hook, EVENT_NAMES[trigger], `${trigger}_hooks`, payload, randomUUID(), randomUUID(), false);
    this.track(p);
    return p;
  }

  resend(event: HookEventRecord): Promise<HookEventRecord> {
    const hook = this.store.data.hooks.find((h) => h.id === event.hookId);
    if (!hook) return Promise.reject(new Error('hook not found'));
    const p = this.deliver(
      hook,
      event.eventName,
      event.trigger,
      event.requestData,
      event.idempotencyKey,
      event.eventUuid,
      true,
    );
    this.track(p);
    return p;
  }

  /** Resolves once every queued delivery has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p)).catch(() => undefined);
  }

  private async deliver(
    hook: HookRecord,
    eventName: string,
    trigger: string,
    payload: unknown,
    idempotencyKey: string,
    eventUuid: string,
    countFailures: boolean,
  ): Promise<HookEventRecord> {
    await new Promise((r) => setImmediate(r));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': `GitLab/${GITLAB_VERSION}`,
      'Idempotency-Key': idempotencyKey,
      'X-Gitlab-Event': eventName,
      'X-Gitlab-Webhook-UUID': hook.uuid,
      'X-Gitlab-Instance': this.instanceUrl(),
      'X-Gitlab-Event-UUID': eventUuid,
    };
    if (hook.token) headers['X-Gitlab-Token'] = hook.token;
    for (const c of hook.customHeaders) headers[c.key] = c.value;
    const started = performance.now();
    let status = 'internal error';
    let responseBody = '';
    const responseHeaders: Record<string, string> = {};
    let ok = false;
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      status = String(res.status);
      res.headers.forEach((v, k) => {
        responseHeaders[k] = v;
      });
      responseBody = (await res.text()).slice(0, 8192);
      ok = res.status >= 200 && res.status < 300;
    } catch (error) {
      const e = error as Error;
      status = 'internal error';
      responseBody =
        e.name === 'TimeoutError' ? 'Net::ReadTimeout' : ((e.cause as Error | undefined)?.message ?? e.message);
    }
    const record: HookEventRecord = {
      id: this.store.nextId('hookEvent'),
      hookId: hook.id,
      url: hook.url,
      trigger,
      eventName,
      idempotencyKey,
      eventUuid,
      requestHeaders: { ...headers, ...(hook.token ? { 'X-Gitlab-Token': '[REDACTED]' } : {}) },
      requestData: payload,
      responseHeaders,
      responseBody,
      responseStatus: status,
      executionDuration: (performance.now() - started) / 1000,
      createdAt: this.store.now(),
    };
    this.store.data.hookEvents.push(record);
    if (ok) {
      hook.recentFailures = 0;
      hook.backoffCount = 0;
      hook.disabledUntil = null;
      hook.permanentlyDisabled = false;
    } else if (countFailures) {
      this.recordFailure(hook);
    }
    for (const l of this.listeners) l(record);
    return record;
  }

  private recordFailure(hook: HookRecord): void {
    hook.recentFailures += 1;
    if (hook.recentFailures >= 40) {
      hook.permanentlyDisabled = true;
      hook.disabledUntil = null;
    } else if (hook.recentFailures >= 4) {
      hook.backoffCount += 1;
      hook.disabledUntil = this.store.now() + Math.min(MINUTE * 2 ** (hook.backoffCount - 1), DAY);
    }
  }
}
