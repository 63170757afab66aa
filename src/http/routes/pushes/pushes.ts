import { z } from 'zod';
import { createdIssueSchema, createPushBodySchema, idParam, projectOptionsSchema, pushSummarySchema } from '../../../contracts/index.ts';
import { findConnection, findProjectLink } from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/errors.ts';
import { dueDateFor, getScanRow, getSlaDays } from '../../../services/index.ts';
import { createPush, listCreatedIssues, refreshCreatedIssues, retryPushItem, summarizePush } from '../../../tracking/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

const scanParams = z.object({ scanId: idParam });

export const createPushRoute: RouteModule = (app, context) => {
  app.post(
    '/api/scans/:scanId/pushes',
    {
      config: { access: 'contributor' },
      schema: { tags: ['issues'], summary: 'Create one GitLab issue per finding of a vulnerability (queued; returns at once)', params: scanParams, body: createPushBodySchema, response: { 202: pushSummarySchema } },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { vulnerabilityId, ...options } = request.body;
      const { pushId } = await createPush(context.db.kysely, { organizationId: p.organizationId, scanId: request.params.scanId, vulnerabilityId, options, requestedBy: p.userId });
      context.onJobsEnqueued?.();
      return reply.status(202).send(await summarizePush(context.db.kysely, p.organizationId, pushId));
    },
  );
};

export const getPushRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/pushes/:pushId',
    { config: { access: 'reader' }, schema: { tags: ['issues'], summary: 'Progress and per-finding results of a push', params: z.object({ pushId: idParam }), response: { 200: pushSummarySchema } } },
    async (request) => summarizePush(db.kysely, principalOf(request).organizationId, request.params.pushId),
  );
};

export const listPushesRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId/pushes',
    { config: { access: 'reader' }, schema: { tags: ['issues'], summary: 'The pushes of a scan, newest first', params: scanParams, response: { 200: z.object({ pushes: z.array(pushSummarySchema) }) } } },
    async (request) => {
      const p = principalOf(request);
      await getScanRow(db.kysely, p.organizationId, request.params.scanId);
      const rows = await db.kysely.selectFrom('pushes').select('id').where('organization_id', '=', p.organizationId).where('scan_id', '=', request.params.scanId).orderBy('created_at', 'desc').limit(50).execute();
      return { pushes: await Promise.all(rows.map((r) => summarizePush(db.kysely, p.organizationId, r.id))) };
    },
  );
};

export const retryPushItemRoute: RouteModule = (app, context) => {
  app.post(
    '/api/pushes/:pushId/items/:itemId/retry',
    { config: { access: 'contributor' }, schema: { tags: ['issues'], summary: 'Retry a failed finding of a push', params: z.object({ pushId: idParam, itemId: idParam }), response: { 200: pushSummarySchema } } },
    async (request) => {
      const p = principalOf(request);
      await retryPushItem(context.db.kysely, p.organizationId, request.params.pushId, request.params.itemId);
      context.onJobsEnqueued?.();
      return summarizePush(context.db.kysely, p.organizationId, request.params.pushId);
    },
  );
};

export const listCreatedIssuesRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/scans/:scanId/issues',
    { config: { access: 'reader' }, schema: { tags: ['issues'], summary: 'Created Issues: every GitLab issue of the scan’s findings, as last synced', params: scanParams, response: { 200: z.object({ issues: z.array(createdIssueSchema) }) } } },
    async (request) => ({ issues: await listCreatedIssues(db.kysely, principalOf(request).organizationId, request.params.scanId) }),
  );
};

export const refreshCreatedIssuesRoute: RouteModule = (app, { db, env, gitlab }) => {
  app.post(
    '/api/scans/:scanId/issues/refresh',
    {
      config: { access: 'reader' },
      schema: { tags: ['issues'], summary: 'Bring Created Issues up to date from GitLab (one call per 100 issues)', params: scanParams, response: { 200: z.object({ refreshed: z.number(), calls: z.number(), missing: z.number(), issues: z.array(createdIssueSchema) }) } },
    },
    async (request) => {
      const p = principalOf(request);
      const result = await refreshCreatedIssues(db.kysely, gitlab.tokens, env.PRODUCT_LABEL, p.organizationId, request.params.scanId);
      return { ...result, issues: await listCreatedIssues(db.kysely, p.organizationId, request.params.scanId) };
    },
  );
};

export const projectOptionsRoute: RouteModule = (app, { db, gitlab }) => {
  app.get(
    '/api/scans/:scanId/gitlab/options',
    { config: { access: 'contributor' }, schema: { tags: ['issues'], summary: 'Assignees and milestones of the scan’s GitLab project, for the Create Issue popup', params: scanParams, response: { 200: projectOptionsSchema } } },
    async (request) => {
      const p = principalOf(request);
      const scan = await getScanRow(db.kysely, p.organizationId, request.params.scanId);
      const link = await findProjectLink(db.kysely, p.organizationId, scan.target_id, scan.id);
      const connection = await findConnection(db.kysely, p.organizationId, scan.target_id);
      if (!link || !connection) throw new DomainError('conflict', 'choose the GitLab project for this scan first');
      const { client } = await gitlab.tokens.client(connection.id);
      const [members, milestones] = await Promise.all([client.members(Number(link.project_id)), client.milestones(Number(link.project_id))]);
      const sla = await getSlaDays(db.kysely, p.organizationId);
      return {
        defaults: { confidential: Number(link.confidential_default) === 1, dueDates: Object.fromEntries((['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => [s, dueDateFor(sla, s)])) },
        members: members.map((m) => ({ id: m.id, username: m.username, name: m.name ?? m.username, avatarUrl: m.avatar_url ?? null, accessLevel: m.access_level })),
        milestones: milestones.map((m) => ({ id: m.id, title: m.title })),
      };
    },
  );
};
