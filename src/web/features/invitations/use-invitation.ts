import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type AcceptInvitationBody, invitationPreviewSchema, sessionSchema } from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';
import { useStoreSession } from '../../api/session.ts';

/** What the link offers. The token goes in the body, so it never lands in an /api URL. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ['invitation-preview', token],
    queryFn: () => api('/invitations/preview', { method: 'POST', body: { token }, schema: invitationPreviewSchema }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Accepts, and keeps the new session (bound to the invitation's organization); nothing of an old one stays cached. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: AcceptInvitationBody) =>
      api('/invitations/accept', { method: 'POST', body, schema: sessionSchema }),
    onSuccess: (session) => {
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== 'setup' && query.queryKey[0] !== 'session',
      });
      store(session);
    },
  });
}
