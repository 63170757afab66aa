import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  organizationListSchema,
  type SessionInfo,
  type SetupBody,
  type SignInBody,
  sessionSchema,
  setupStatusSchema,
  signInResultSchema,
} from '../../contracts/index.ts';
import { api, isApiError, setCsrfToken } from './client.ts';

export const sessionKey = ['session'] as const;
export const setupKey = ['setup'] as const;
/** Set when the server ended a session that this page was using, so sign-in can say why it shows. */
export const sessionEndedKey = ['session-ended'] as const;

async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const session = await api('/auth/session', { schema: sessionSchema });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in user's session, or null when nobody is signed in. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000, retry: 1 });
}

let lastSession: SessionInfo | null = null;

/**
 * The session of a page inside the app shell. When the session ends, such a page may render once
 * more before the router replaces it with the sign-in page; it then sees the last known session.
 */
export function useCurrentSession(): SessionInfo {
  const { data } = useSession();
  if (data) lastSession = data;
  if (!lastSession) throw new Error('useCurrentSession used outside a signed-in page');
  return lastSession;
}

export function useSetupStatus() {
  return useQuery({
    queryKey: setupKey,
    queryFn: () => api('/setup', { schema: setupStatusSchema }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
}

export function useStoreSession() {
  const queryClient = useQueryClient();
  return (session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    queryClient.removeQueries({ queryKey: sessionEndedKey });
    queryClient.setQueryData(setupKey, { needsSetup: false });
    queryClient.setQueryData(sessionKey, session);
  };
}

export function useSetup() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: SetupBody) => api('/setup', { method: 'POST', body, schema: sessionSchema }),
    onSuccess: store,
  });
}

/** Signs in; an account in several organizations without a choice gets the list (and no session yet). */
export function useSignIn() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: SignInBody) => api('/auth/sign-in', { method: 'POST', body, schema: signInResultSchema }),
    onSuccess: (result) => {
      if ('csrfToken' in result) store(result);
    },
  });
}

/** The organizations of the signed-in account (the user menu offers to switch when there are several). */
export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations'],
    queryFn: async () => (await api('/auth/organizations', { schema: organizationListSchema })).organizations,
    staleTime: 60_000,
  });
}

/** A new session bound to another organization of the account; nothing cached from the old one is kept. */
export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  const store = useStoreSession();
  return useMutation({
    mutationFn: (organizationId: string) =>
      api('/auth/switch-organization', { method: 'POST', body: { organizationId }, schema: sessionSchema }),
    onSuccess: (session) => {
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== 'setup' && query.queryKey[0] !== 'session',
      });
      store(session);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api('/auth/sign-out', { method: 'POST' }),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.setQueryData(sessionKey, null);
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== 'setup' && query.queryKey[0] !== 'session',
      });
    },
  });
}

/** Role checks the UI uses to hide what the server would refuse anyway. */
export function canWrite(role: SessionInfo['role']): boolean {
  return role !== 'reader';
}

export function isAdmin(role: SessionInfo['role']): boolean {
  return role === 'owner' || role === 'administrator';
}
