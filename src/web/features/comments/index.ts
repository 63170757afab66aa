export { CommentThread } from './comment-thread.tsx';
export { commentsKey } from './use-comments.ts';
