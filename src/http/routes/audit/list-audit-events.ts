import { listAudit } from '../../../audit/index.ts';
import { auditEventPageSchema, auditQuerySchema } from '../../../contracts/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const listAuditEventsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/audit-events',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['audit'],
        summary: 'The organization’s audit log, newest first, one page at a time',
        description:
          'Who did what, when and from where. Filters: `actor` (user id or e-mail), `action` (exact, or a prefix ending in `.` or `*`), `subjectType`, `subjectId`, `from` and `to` (a day YYYY-MM-DD, or an ISO 8601 instant; both inclusive). Pages: pass `nextCursor` as `after`, `prevCursor` as `before`.',
        querystring: auditQuerySchema,
        response: { 200: auditEventPageSchema },
      },
    },
    async (request) => {
      const { after, before, limit, ...filter } = request.query;
      return listAudit(db.kysely, principalOf(request).organizationId, filter, { after, before, limit });
    },
  );
};
