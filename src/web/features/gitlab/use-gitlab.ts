import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createGitlabInstanceBodySchema } from '../../../contracts/index.ts';
import {
  gitlabAuthorizeSchema,
  gitlabConnectionEnvelopeSchema,
  gitlabInstanceEnvelopeSchema,
  gitlabInstanceListSchema,
  linkProjectResultSchema,
  pickerPageSchema,
  projectLinkEnvelopeSchema,
  targetEnvelopeSchema,
  targetGitlabSchema,
} from '../../../contracts/index.ts';
import { api, isApiError } from '../../api/client.ts';

const id = encodeURIComponent;

export const instancesKey = ['gitlab', 'instances'] as const;
export const targetGitlabKey = (targetId: string) => ['gitlab', 'target', targetId] as const;
export const scanProjectKey = (scanId: string) => ['gitlab', 'scan-project', scanId] as const;

/** True when GitLab refused the stored grant and the user must authorize again. */
export function isReconnectNeeded(error: unknown): boolean {
  return isApiError(error) && error.code === 'reconnect_needed';
}

/** GitLab instances the organization's targets can connect to. */
export function useInstances() {
  return useQuery({
    queryKey: instancesKey,
    queryFn: async () => (await api('/gitlab/instances', { schema: gitlabInstanceListSchema })).instances,
  });
}

export function useAddInstance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: z.input<typeof createGitlabInstanceBodySchema>) =>
      (await api('/gitlab/instances', { method: 'POST', body, schema: gitlabInstanceEnvelopeSchema })).instance,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gitlab'] }),
  });
}

export function useDeleteInstance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (instanceId: string) => api(`/gitlab/instances/${id(instanceId)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gitlab'] }),
  });
}

/** The target's name and URL (the same query, and cache entry, as the target page's). */
export function useTargetInfo(targetId: string) {
  return useQuery({
    queryKey: ['targets', targetId],
    queryFn: async () => (await api(`/targets/${id(targetId)}`, { schema: targetEnvelopeSchema })).target,
  });
}

/** A target's GitLab connection (or null), its default project and the instances it can use. */
export function useTargetGitlab(targetId: string) {
  return useQuery({
    queryKey: targetGitlabKey(targetId),
    queryFn: () => api(`/targets/${id(targetId)}/gitlab`, { schema: targetGitlabSchema }),
  });
}

/** Starts OAuth: asks the server for GitLab's authorize URL, then leaves for it. */
export function useAuthorize(targetId: string) {
  return useMutation({
    mutationFn: async (instanceId: string) =>
      (
        await api(`/targets/${id(targetId)}/gitlab/authorize`, {
          method: 'POST',
          body: { instanceId },
          schema: gitlabAuthorizeSchema,
        })
      ).authorizeUrl,
    onSuccess: (url) => window.location.assign(url),
  });
}

export type TokenConnectBody = { token: string } & ({ instanceId: string } | { baseUrl: string });

export function useConnectToken(targetId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TokenConnectBody) =>
      (
        await api(`/targets/${id(targetId)}/gitlab/token`, {
          method: 'POST',
          body,
          schema: gitlabConnectionEnvelopeSchema,
        })
      ).connection,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: targetGitlabKey(targetId) }),
  });
}

export function useDisconnect(targetId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(`/targets/${id(targetId)}/gitlab`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['gitlab'] }),
  });
}

export interface PickerFilter {
  search: string;
  includeGroups: boolean;
}

/** The picker's projects, one page per fetch; a page may be empty while more follow. */
export function usePickerProjects(targetId: string, filter: PickerFilter, enabled: boolean) {
  const queryClient = useQueryClient();
  return useInfiniteQuery({
    queryKey: ['gitlab', 'projects', targetId, filter.search, filter.includeGroups],
    enabled,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) => {
      const query = new URLSearchParams({ includeGroups: String(filter.includeGroups) });
      if (filter.search) query.set('search', filter.search);
      if (pageParam) query.set('cursor', pageParam);
      try {
        return await api(`/targets/${id(targetId)}/gitlab/projects?${query}`, { schema: pickerPageSchema });
      } catch (error) {
        // The connection's state changed at the server: let the integration page and banner know.
        if (isReconnectNeeded(error)) void queryClient.invalidateQueries({ queryKey: targetGitlabKey(targetId) });
        throw error;
      }
    },
    getNextPageParam: (page) => page.nextCursor,
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 1,
    staleTime: 30_000,
  });
}

/** The scan's GitLab project (its own, or the target's default). */
export function useScanProject(scanId: string) {
  return useQuery({
    queryKey: scanProjectKey(scanId),
    queryFn: async () => (await api(`/scans/${id(scanId)}/gitlab/project`, { schema: projectLinkEnvelopeSchema })).link,
  });
}

export function useLinkProject(scanId: string, targetId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ projectId, confidentialByDefault }: { projectId: number; confidentialByDefault: boolean }) =>
      api(`/scans/${id(scanId)}/gitlab/project`, {
        method: 'PUT',
        body: { projectId, confidentialByDefault },
        schema: linkProjectResultSchema,
      }),
    onSuccess: (result) => {
      queryClient.setQueryData(scanProjectKey(scanId), result.link);
      void queryClient.invalidateQueries({ queryKey: targetGitlabKey(targetId) });
    },
    onError: (error) => {
      if (isReconnectNeeded(error)) void queryClient.invalidateQueries({ queryKey: targetGitlabKey(targetId) });
    },
  });
}
