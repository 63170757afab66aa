import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type CreatePushBody,
  createdIssueListSchema,
  type PushSummaryInfo,
  projectOptionsSchema,
  pushListSchema,
  pushSummarySchema,
  refreshIssuesResultSchema,
  scanReportSchema,
  targetEnvelopeSchema,
} from '../../../contracts/index.ts';
import { api, isApiError } from '../../api/client.ts';

const id = encodeURIComponent;

export const createdIssuesKey = (scanId: string) => ['issues', 'created', scanId] as const;
export const pushKey = (pushId: string) => ['issues', 'push', pushId] as const;
export const scanPushesKey = (scanId: string) => ['issues', 'pushes', scanId] as const;

/** How often a push that has not finished is read again. */
export const PUSH_POLL_MS = 1000;

/** The scan and its vulnerabilities (the same query, and cache entry, as the scan report's). */
export function useScanSummary(scanId: string) {
  return useQuery({
    queryKey: ['scans', 'report', scanId],
    queryFn: () => api(`/scans/${id(scanId)}`, { schema: scanReportSchema }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** A target (the same query, and cache entry, as the target page's). */
export function useTargetSummary(targetId: string | undefined) {
  return useQuery({
    queryKey: ['targets', targetId ?? ''],
    enabled: Boolean(targetId),
    queryFn: async () => (await api(`/targets/${id(targetId ?? '')}`, { schema: targetEnvelopeSchema })).target,
  });
}

/** Members (possible assignees) and milestones of the scan's GitLab project, for the popup. */
export function useProjectOptions(scanId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['issues', 'options', scanId],
    enabled,
    queryFn: () => api(`/scans/${id(scanId)}/gitlab/options`, { schema: projectOptionsSchema }),
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 1,
    staleTime: 60_000,
  });
}

export type CreatePushInput = Partial<CreatePushBody> & { vulnerabilityId: string };

/** Starts a push: one issue per finding of the vulnerability; the server answers at once (202). */
export function useCreatePush(scanId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePushInput) =>
      api(`/scans/${id(scanId)}/pushes`, { method: 'POST', body, schema: pushSummarySchema }),
    onSuccess: (push) => {
      queryClient.setQueryData(pushKey(push.pushId), push);
      void queryClient.invalidateQueries({ queryKey: scanPushesKey(scanId) });
    },
  });
}

/** A push's progress, read every second until every finding has an answer. */
export function usePush(pushId: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: pushKey(pushId ?? ''),
    enabled: Boolean(pushId),
    queryFn: async () => {
      const push = await api(`/pushes/${id(pushId ?? '')}`, { schema: pushSummarySchema });
      if (push.finished) void queryClient.invalidateQueries({ queryKey: createdIssuesKey(push.scanId) });
      return push;
    },
    refetchInterval: (query) => (query.state.data?.finished === false ? PUSH_POLL_MS : false),
    refetchIntervalInBackground: true,
  });
}

/** The scan's pushes, newest first (to show a push still running when the popup opens again). */
export function useScanPushes(scanId: string, enabled: boolean) {
  return useQuery({
    queryKey: scanPushesKey(scanId),
    enabled,
    queryFn: async () => (await api(`/scans/${id(scanId)}/pushes`, { schema: pushListSchema })).pushes,
  });
}

/** Puts a failed finding of a push back to work; polling picks the push up again. */
export function useRetryPushItem(pushId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) =>
      api(`/pushes/${id(pushId)}/items/${id(itemId)}/retry`, { method: 'POST', schema: pushSummarySchema }),
    onSuccess: (push: PushSummaryInfo) => queryClient.setQueryData(pushKey(push.pushId), push),
  });
}

/** Created Issues of the scan, as Vulnbridge last synced them. */
export function useCreatedIssues(scanId: string) {
  return useQuery({
    queryKey: createdIssuesKey(scanId),
    queryFn: async () => (await api(`/scans/${id(scanId)}/issues`, { schema: createdIssueListSchema })).issues,
  });
}

/** Reads every created issue of the scan from GitLab again (one call per 100 issues). */
export function useRefreshIssues(scanId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(`/scans/${id(scanId)}/issues/refresh`, { method: 'POST', schema: refreshIssuesResultSchema }),
    onSuccess: (result) => queryClient.setQueryData(createdIssuesKey(scanId), result.issues),
  });
}
