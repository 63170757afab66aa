import { type QueryClient, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

/** The query keys (prefixes) each kind of server change makes stale. */
export const keysByKind: Record<string, QueryKey[]> = {
  comments: [['comments']],
  // A tracked issue's state shows in Created Issues, in a thread's header and in the scan report.
  issues: [['issues', 'created'], ['comments'], ['scans', 'report']],
  pushes: [
    ['issues', 'push'],
    ['issues', 'pushes'],
    ['issues', 'created'],
  ],
  scans: [['scans']],
};

export function invalidateKinds(queryClient: QueryClient, kinds: string[]): void {
  const keys = new Map<string, QueryKey>();
  for (const kind of kinds) for (const key of keysByKind[kind] ?? []) keys.set(JSON.stringify(key), key);
  for (const key of keys.values()) void queryClient.invalidateQueries({ queryKey: key });
}

/**
 * Listens to `/api/events` (server-sent events) while signed in and refetches what changed, so the
 * scan report, comment threads, push progress and Created Issues follow GitLab without a reload. The
 * browser reconnects by itself; after a reconnect everything live is refetched (changes may have been
 * missed meanwhile).
 */
export function useLiveEvents(sessionKey?: string): void {
  const queryClient = useQueryClient();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new session (another organization) needs a new stream
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    let lostConnection = false;
    const onChange = (event: MessageEvent<string>) => {
      try {
        const { kinds } = JSON.parse(event.data) as { kinds?: unknown };
        if (Array.isArray(kinds))
          invalidateKinds(
            queryClient,
            kinds.filter((k): k is string => typeof k === 'string'),
          );
      } catch {
        // not ours: ignore
      }
    };
    const onOpen = () => {
      if (lostConnection) invalidateKinds(queryClient, Object.keys(keysByKind));
      lostConnection = false;
    };
    const onError = () => {
      lostConnection = true;
    };
    source.addEventListener('change', onChange);
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    return () => source.close();
  }, [queryClient, sessionKey]);
}
