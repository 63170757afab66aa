import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';
import type { Comment } from '../../../db/index.ts';
import { COMMENT_MARKER } from '../../../tracking/index.ts';

export const toCommentInfo = (c: Comment, paused = false) => ({
  id: c.id,
  source: c.source,
  authorName: c.author_name,
  authorUsername: c.author_username,
  authorAvatarUrl: c.author_avatar_url,
  body: c.body.replace(COMMENT_MARKER, '').trimEnd(),
  internal: Number(c.internal) === 1,
  outboundState: c.outbound_state === 'pending' && paused ? ('paused' as const) : c.outbound_state,
  error: c.error,
  createdAt: c.gitlab_created_at ?? c.created_at,
  updatedAt: c.gitlab_updated_at ?? c.updated_at,
});

export const params = z.object({ findingId: idParam });
