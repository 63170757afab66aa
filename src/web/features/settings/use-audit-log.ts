import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { auditEventPageSchema } from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';

/** The filters of the audit log, as they appear in the page's URL query and in the API's. */
export const AUDIT_FILTERS = ['actor', 'action', 'subjectType', 'subjectId', 'from', 'to'] as const;
export type AuditFilterName = (typeof AUDIT_FILTERS)[number];
export const AUDIT_PAGE_SIZE = 25;

/** The filters set in `params` (empty ones left out), as a query string for the API. */
export function auditFilterQuery(params: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of AUDIT_FILTERS) {
    const value = params.get(name)?.trim();
    if (value) query.set(name, value);
  }
  return query;
}

/** One page of the audit log for the URL's filters and cursor. */
export function useAuditLog(params: URLSearchParams) {
  const query = auditFilterQuery(params);
  for (const cursor of ['after', 'before'] as const) {
    const value = params.get(cursor);
    if (value) query.set(cursor, value);
  }
  query.set('limit', String(AUDIT_PAGE_SIZE));
  const search = query.toString();
  return useQuery({
    queryKey: ['audit-events', search],
    queryFn: () => api(`/audit-events?${search}`, { schema: auditEventPageSchema }),
    placeholderData: keepPreviousData,
  });
}
