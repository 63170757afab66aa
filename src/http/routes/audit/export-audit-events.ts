import { auditCsvStream, iterateAudit } from '../../../audit/index.ts';
import { auditFilterSchema } from '../../../contracts/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const exportAuditEventsRoute: RouteModule = (app, { db }) => {
  app.get(
    '/api/audit-events.csv',
    {
      config: { access: 'administrator' },
      schema: {
        tags: ['audit'],
        summary:
          'The organization’s audit log as CSV, with the same filters as the list (streamed, every matching event)',
        description:
          "Cells that start with = + - @, a tab or a carriage return are prefixed with `'` so a spreadsheet never runs them as formulas. Columns: time, actor_email, actor_name, actor_user_id, api_token_name, api_token_id, source, ip, user_agent, action, subject_type, subject_id, details (JSON).",
        querystring: auditFilterSchema,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const organizationId = principalOf(request).organizationId;
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-log-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(auditCsvStream(iterateAudit(db.kysely, organizationId, request.query)));
    },
  );
};
