import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateTargetBody, TargetInfo } from '../../../contracts/index.ts';
import { targetEnvelopeSchema, targetListSchema } from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';

export const targetsKey = ['targets'] as const;

export function useTargets() {
  return useQuery({
    queryKey: targetsKey,
    queryFn: async () => (await api('/targets', { schema: targetListSchema })).targets,
  });
}

export function useCreateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateTargetBody) =>
      (await api('/targets', { method: 'POST', body, schema: targetEnvelopeSchema })).target,
    onSuccess: (target) => {
      queryClient.setQueryData<TargetInfo[]>(targetsKey, (list) => (list ? [...list, target] : list));
      void queryClient.invalidateQueries({ queryKey: targetsKey });
    },
  });
}

export function useRenameTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, name }: { id: string; name: string }) =>
      (
        await api(`/targets/${encodeURIComponent(id)}`, {
          method: 'PATCH',
          body: { name },
          schema: targetEnvelopeSchema,
        })
      ).target,
    onSuccess: (target) => {
      queryClient.setQueryData<TargetInfo[]>(targetsKey, (list) =>
        list?.map((item) => (item.id === target.id ? target : item)),
      );
      void queryClient.invalidateQueries({ queryKey: targetsKey });
    },
  });
}

export function useDeleteTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/targets/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_result, id) => {
      queryClient.setQueryData<TargetInfo[]>(targetsKey, (list) => list?.filter((item) => item.id !== id));
      void queryClient.invalidateQueries({ queryKey: targetsKey });
    },
  });
}
