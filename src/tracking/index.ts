// The door of src/tracking: scan findings become GitLab issues and stay in sync. It exports what other
// rooms use; rendering, neutralising and issue sync stay inside.
// The push (one issue per finding), its jobs' work, and Created Issues.
export { createIssueForItem, markItemFailed } from './create-issue.ts';
export { type CreatedIssue, listCreatedIssues, refreshCreatedIssues } from './created-issues.ts';
export { CREATE_ISSUE_TASK, createPush, retryPushItem, summarizePush } from './push-vulnerability.ts';
export { listPushes, projectOptions } from './push-views.ts';
export { findingMarker } from './render-issue.ts';
// Two-way sync: webhook ingress and processing, comments both ways, reconciliation.
export { PROCESS_WEBHOOK_TASK, processDelivery } from './process-webhook.ts';
export { findWebhookHook, recordWebhookDelivery, type WebhookHook } from './webhook-deliveries.ts';
export {
  addHubComment,
  commentsPaused,
  getComment,
  listIssueComments,
  markCommentFailed,
  POST_COMMENT_TASK,
  postComment,
  trackedIssueOfFinding,
} from './post-comment.ts';
export { RECONCILE_TASK, reconcileLink, scheduleReconciliation } from './reconcile.ts';
export { COMMENT_MARKER } from './sync-issue.ts';
