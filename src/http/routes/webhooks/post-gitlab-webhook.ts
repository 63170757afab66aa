// GitLab webhook ingress (DESIGN §2): verify the hook's own secret against X-Gitlab-Token in constant
// time, store the delivery under its Idempotency-Key (or X-Gitlab-Event-UUID), enqueue its processing
// in the same transaction, and answer at once. A delivery seen before is acknowledged, not reprocessed.
// The hook and its token are checked before the body is read, so only GitLab gets its payload parsed.
// An unknown hook and a wrong token get the same 401 and body, and an unknown hook is still compared (against
// a dummy secret) so neither the answer nor its timing tells which hook ids exist. Malformed or oversized
// body 4xx: nothing is stored.
import { z } from 'zod';
import { constantTimeEqual, randomToken, sha256 } from '../../../crypto/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { findWebhookHook, recordWebhookDelivery, type WebhookHook } from '../../../tracking/index.ts';
import type { App, AppContext } from '../../context.ts';
/** GitLab sends no webhook payload over 25 MB (gitlab-org/gitlab!38687); a 1,000,000-character note
 * appears twice in a Note Hook, so a smaller limit refuses real comments written in non-Latin scripts. */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;
const EVENTS = new Set(['Issue Hook', 'Confidential Issue Hook', 'Note Hook', 'Confidential Note Hook']);

interface HookEntry extends WebhookHook {
  loadedAt: number;
}

const CACHE_MS = 30_000;
const REFUSED = 'wrong or missing X-Gitlab-Token, or unknown webhook';

export function registerGitlabWebhooks(app: App, context: AppContext): void {
  // Opened hook secrets, kept briefly so a burst of deliveries does not decrypt per request. A token that
  // does not match a cached secret is checked again against the database before it is refused.
  const cache = new Map<string, HookEntry>();
  const verified = new WeakMap<object, HookEntry>();
  // Compared against when the hook is unknown, so an unknown hook costs what a wrong token costs.
  const dummySecret = randomToken(24);
  const load = async (hookRef: string): Promise<HookEntry | null> => {
    const hook = await findWebhookHook(context.db.kysely, context.secretBox, hookRef);
    if (!hook) {
      cache.delete(hookRef);
      return null;
    }
    const entry = { ...hook, loadedAt: Date.now() };
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
        const matches = (secret: string) => constantTimeEqual(typeof sent === 'string' ? sent : '', secret);
        if (!link) {
          matches(dummySecret);
          throw new DomainError('unauthenticated', REFUSED);
        }
        if (!matches(link.secret) && link === cached) link = await load(hookRef);
        if (!link) {
          matches(dummySecret);
          throw new DomainError('unauthenticated', REFUSED);
        }
        if (!matches(link.secret)) throw new DomainError('unauthenticated', REFUSED);
        verified.set(request, link);
      },
    },
    async (request, reply) => {
      const link = verified.get(request);
      if (!link) throw new DomainError('unauthenticated', REFUSED);
      const event = String(request.headers['x-gitlab-event'] ?? '');
      const body = request.body;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new DomainError('invalid_request', 'the body must be a JSON object');
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
      const sentKey = String(
        request.headers['idempotency-key'] ?? request.headers['x-gitlab-event-uuid'] ?? `sha256:${sha256(payload)}`,
      );
      const key = `${request.params.hookRef}:${sentKey.slice(0, 190)}`;
      const created = await recordWebhookDelivery(context.db.kysely, {
        key,
        hookRef: request.params.hookRef,
        organizationId: link.organizationId,
        targetId: link.targetId,
        event,
        payload,
      });
      if (created) context.onJobsEnqueued?.();
      return reply.status(created ? 202 : 200).send(created ? { accepted: true } : { duplicate: true });
    },
  );
}
