import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type SessionInfo,
  type SetupBody,
  type SignInBody,
  sessionSchema,
  setupStatusSchema,
} from '../../contracts/index.ts';
import { api, isApiError, setCsrfToken } from './client.ts';

export const sessionKey = ['session'] as const;
export const setupKey = ['setup'] as const;

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

/** The session of a page inside the app shell, where a session always exists. */
export function useCurrentSession(): SessionInfo {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentSession used outside a signed-in page');
  return data;
}

export function useSetupStatus() {
  return useQuery({
    queryKey: setupKey,
    queryFn: () => api('/setup', { schema: setupStatusSchema }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
}

function useStoreSession() {
  const queryClient = useQueryClient();
  return (session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    queryClient.setQueryData(setupKey, { needsSetup: false });
    queryClient.setQueryData(sessionKey, session);
  };
}

export function useSetup() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: SetupBody) =>
      api('/setup', { method: 'POST', body, schema: sessionSchema }),
    onSuccess: store,
  });
}

export function useSignIn() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: SignInBody) =>
      api('/auth/sign-in', { method: 'POST', body, schema: sessionSchema }),
    onSuccess: store,
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api('/auth/sign-out', { method: 'POST' }),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'setup' });
      queryClient.setQueryData(sessionKey, null);
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
