import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { type CommentInfo, commentSchema, findingCommentsSchema } from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';

type Thread = z.infer<typeof findingCommentsSchema>;

/** Every comment thread's cache entries start with this (live events invalidate them all). */
export const commentsKey = ['comments'] as const;
export const findingCommentsKey = (findingId: string) => [...commentsKey, findingId] as const;

const createdSchema = z.object({ comment: commentSchema });
/** While a hub comment waits to be posted, the thread is read again this often (live events may be off). */
const PENDING_POLL_MS = 3000;
/** A comment paused on a connection that needs reconnecting waits for a person: read less often. */
const PAUSED_POLL_MS = 15_000;

/** The comment thread of a finding's GitLab issue (issue null when the finding has none yet). */
export function useFindingComments(findingId: string) {
  return useQuery({
    queryKey: findingCommentsKey(findingId),
    queryFn: () => api(`/findings/${encodeURIComponent(findingId)}/comments`, { schema: findingCommentsSchema }),
    refetchInterval: (query) => {
      const states = new Set(query.state.data?.comments.map((c) => c.outboundState));
      return states.has('pending') ? PENDING_POLL_MS : states.has('paused') ? PAUSED_POLL_MS : false;
    },
  });
}

let optimisticCounter = 0;

/** Adds a hub comment: shown at once as pending, replaced by the server's answer (202). */
export function useAddComment(findingId: string, authorName: string) {
  const queryClient = useQueryClient();
  const key = findingCommentsKey(findingId);
  return useMutation({
    mutationFn: (body: string) =>
      api(`/findings/${encodeURIComponent(findingId)}/comments`, {
        method: 'POST',
        body: { body },
        schema: createdSchema,
      }),
    onMutate: async (body: string) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Thread>(key);
      const now = new Date().toISOString();
      const optimistic: CommentInfo = {
        id: `optimistic-${++optimisticCounter}`,
        source: 'hub',
        authorName,
        authorUsername: null,
        authorAvatarUrl: null,
        body,
        internal: false,
        outboundState: 'pending',
        error: null,
        createdAt: now,
        updatedAt: now,
      };
      if (previous)
        queryClient.setQueryData<Thread>(key, { ...previous, comments: [...previous.comments, optimistic] });
      return { previous, optimisticId: optimistic.id };
    },
    onSuccess: ({ comment }, _body, context) => {
      queryClient.setQueryData<Thread>(key, (thread) =>
        thread
          ? {
              ...thread,
              comments: thread.comments.some((c) => c.id === comment.id)
                ? thread.comments.filter((c) => c.id !== context?.optimisticId)
                : thread.comments.map((c) => (c.id === context?.optimisticId ? comment : c)),
            }
          : thread,
      );
    },
    onError: (_error, _body, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
}
