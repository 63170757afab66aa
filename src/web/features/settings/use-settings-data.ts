import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CreateInvitationBody, createApiTokenBodySchema, JobInfo, RoleName } from '../../../contracts/index.ts';
import {
  apiTokenListSchema,
  createdApiTokenSchema,
  createdInvitationSchema,
  invitationListSchema,
  jobListSchema,
  memberEnvelopeSchema,
  memberListSchema,
} from '../../../contracts/index.ts';
import { okSchema } from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';

const membersKey = ['members'] as const;
const invitationsKey = ['invitations'] as const;
const tokensKey = ['tokens'] as const;
const jobsKey = ['jobs'] as const;

const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

/** Runs a write, then refreshes the list it changed. */
function useWrite<V, R>(key: readonly string[], write: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useMembers() {
  return useQuery({
    queryKey: membersKey,
    queryFn: async () => (await api('/members', { schema: memberListSchema })).members,
  });
}

/** Pending invitations (Owners and Administrators only). */
export function useInvitations(enabled: boolean) {
  return useQuery({
    queryKey: invitationsKey,
    queryFn: async () => (await api('/invitations', { schema: invitationListSchema })).invitations,
    enabled,
  });
}

/** Invites by e-mail: the answer carries the link, shown once. */
export function useCreateInvitation() {
  return useWrite(invitationsKey, (body: CreateInvitationBody) =>
    api('/invitations', { method: 'POST', body, schema: createdInvitationSchema }),
  );
}

export function useRevokeInvitation() {
  return useWrite(invitationsKey, (invitationId: string) =>
    api(at('/invitations', invitationId), { method: 'DELETE' }),
  );
}

export function useChangeRole() {
  return useWrite(membersKey, ({ userId, role }: { userId: string; role: RoleName }) =>
    api(at('/members', userId), { method: 'PATCH', body: { role }, schema: memberEnvelopeSchema }),
  );
}

export function useRemoveMember() {
  return useWrite(membersKey, (userId: string) => api(at('/members', userId), { method: 'DELETE' }));
}

export function useTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: async () => (await api('/tokens', { schema: apiTokenListSchema })).tokens,
  });
}

export function useCreateToken() {
  return useWrite(tokensKey, (body: z.input<typeof createApiTokenBodySchema>) =>
    api('/tokens', { method: 'POST', body, schema: createdApiTokenSchema }),
  );
}

export function useRevokeToken() {
  return useWrite(tokensKey, (tokenId: string) => api(at('/tokens', tokenId), { method: 'DELETE' }));
}

export function useJobs(state: JobInfo['state']) {
  return useQuery({
    queryKey: [...jobsKey, state],
    queryFn: async () => (await api(`/jobs?state=${encodeURIComponent(state)}`, { schema: jobListSchema })).jobs,
    refetchInterval: 15_000,
  });
}

export function useRetryJob() {
  return useWrite(jobsKey, (jobId: string) => api(`${at('/jobs', jobId)}/retry`, { method: 'POST', schema: okSchema }));
}
