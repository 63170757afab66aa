// GitLab webhook ingress (DESIGN §2): verify the hook's own secret against X-Gitlab-Token in constant
// time, store the delivery under its Idempotency-Key (or X-Gitlab-Event-UUID), enqueue its processing
// in the same transaction, and answer at once. A delivery seen before is acknowledged, not reprocessed.
// The hook and its token are checked before the body is read, so only GitLab gets its payload parsed.
// Bad token 401, unknown hook 404, malformed or oversized body 4xx: nothing is stored.
import { z } from 'zod';
import { constantTimeEqual, sha256 } from '../crypto/index.ts';
import { newId, nowIso } from '../db/index.ts';
import type { App, AppContext } from '../http/context.ts';
import { enqueue } from '../jobs/index.ts';
import { DomainError } from '../lib/errors.ts';

export const PROCESS_WEBHOOK_TASK = 'process-webhook';
/** GitLab sends no webhook payload over 25 MB (gitlab-org/gitlab!38687); a 1,000,000-character note
 * appears twice in a Note Hook, so a smaller limit refuses real comments written in non-Latin scripts. */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;
const EVENTS = new Set(['Issue Hook', 'Confidential Issue Hook', 'Note Hook', 'Confidential Note Hook']);

interface HookEntry {
  id: string;
  organizationId: string;
  targetId: string;
  secret: string;
  loadedAt: number;
}

const CACHE_MS = 30_000;

export function registerGitlabWebhooks(app: App, context: AppContext): void {
  // Opened hook secrets, kept briefly so a burst of deliveries does not decrypt per request. A token that
  // does not match a cached secret is checked again against the database before it is refused.
  const cache = new Map<string, HookEntry>();
  const verified = new WeakMap<object, HookEntry>();
  const load = async (hookRef: string): Promise<HookEntry | null> => {
    const link = await context.db.kysely
      .selectFrom('project_links')
      .select(['id', 'organization_id', 'hook_secret_enc', 'target_id'])
      .where('hook_ref', '=', hookRef)
      .orderBy('scan_id')
      .executeTakeFirst();
    if (!link?.hook_secret_enc) {
      cache.delete(hookRef);
      return null;
    }
    const entry = { id: link.id, organizationId: link.organization_id, targetId: link.target_id, secret: context.secretBox.open(link.hook_secret_enc, `hook:${hookRef}`), loadedAt: Date.now() };
    if (cache.size > 1000) cache.clear();
    cache.set(hookRef, entry);
    return entry;
  };

  app.post(
    '/webhooks/gitlab/:hookRef',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: { hide: true, params: z.object({ hookRef: z.string().min(1).max(64) }) },
      // Before the body is read: a caller without the hook's token never gets megabytes parsed.
      onRequest: async (request) => {
        const { hookRef } = request.params as { hookRef: string };
        if (hookRef.length > 64) throw new DomainError('invalid_request', 'hookRef: too long');
        const sent = request.headers['x-gitlab-token'];
        const cached = cache.get(hookRef);
        let link = cached && Date.now() - cached.loadedAt < CACHE_MS ? cached : await load(hookRef);
        if (!link) throw new DomainError('not_found', 'unknown webhook');
        const matches = (entry: HookEntry) => typeof sent === 'string' && constantTimeEqual(sent, entry.secret);
        if (!matches(link) && link === cached) link = await load(hookRef);
        if (!link) throw new DomainError('not_found', 'unknown webhook');
        if (!matches(link)) throw new DomainError('unauthenticated', 'wrong or missing X-Gitlab-Token');
        verified.set(request, link);
      },
    },
    async (request, reply) => {
      const link = verified.get(request);
      if (!link) throw new DomainError('unauthenticated', 'wrong or missing X-Gitlab-Token');
      const event = String(request.headers['x-gitlab-event'] ?? '');
      const body = request.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DomainError('invalid_request', 'the body must be a JSON object');
      if (!EVENTS.has(event)) return reply.status(202).send({ ignored: event || 'no X-Gitlab-Event' });
      let payload: string;
      try {
        payload = JSON.stringify(body);
      } catch {
        // JSON.parse takes any depth; JSON.stringify recurses and runs out of stack on absurd nesting.
        throw new DomainError('invalid_request', 'the body nests too deeply');
      }
      // Scoped to the hook: GitLab calls every hook of a project for one event (before 17.4 with one shared
      // X-Gitlab-Event-UUID), and two organizations may each have a hook on the same project.
      const sentKey = String(request.headers['idempotency-key'] ?? request.headers['x-gitlab-event-uuid'] ?? `sha256:${sha256(payload)}`);
      const key = `${request.params.hookRef}:${sentKey.slice(0, 190)}`;
      const created = await context.db.kysely.transaction().execute(async (trx) => {
        const id = newId();
        const inserted = await trx
          .insertInto('webhook_deliveries')
          .values({ id, idempotency_key: key, organization_id: link.organizationId, project_link_id: request.params.hookRef, event, payload, received_at: nowIso(), processed_at: null, outcome: null })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return false;
        await enqueue(trx, { task: PROCESS_WEBHOOK_TASK, payload: { deliveryId: id }, organizationId: link.organizationId, uniqueKey: `delivery:${id}`, groupKey: `gitlab-target:${link.targetId}` });
        return true;
      });
      if (created) context.onJobsEnqueued?.();
      return reply.status(created ? 202 : 200).send(created ? { accepted: true } : { duplicate: true });
    },
  );
}
