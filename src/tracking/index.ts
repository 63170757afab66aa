// The door of src/tracking: scan findings become GitLab issues. Rendering and safety for now;
// the push, events and reconcile come next.
export { REFERENCE_PREFIXES, codeBlock, hasBareTripleFenceLine, inlineCode, longestBacktickRun, neutralizeText } from './neutralize-markdown.ts';
export {
  DEFAULT_MAX_BODY_CHARS,
  DESCRIPTION_MAX_CHARS,
  type RenderIssueInput,
  type RenderIssueOptions,
  type RenderedIssue,
  TITLE_MAX_CHARS,
  cutChars,
  findingMarker,
  renderIssue,
  safeTitle,
} from './render-issue.ts';
// The push (one issue per finding), its jobs' work, and Created Issues.
export { createIssueForItem, issueBudgetKey, issueLabels, markItemFailed } from './create-issue.ts';
export { type CreatedIssue, listCreatedIssues, refreshCreatedIssues } from './created-issues.ts';
export { CREATE_ISSUE_TASK, createPush, DEFAULT_PUSH_OPTIONS, type PushOptions, type PushSummary, retryPushItem, summarizePush } from './push-vulnerability.ts';
// Two-way sync: webhook processing, comments both ways, reconciliation.
export { PROCESS_WEBHOOK_TASK, processDelivery } from './process-webhook.ts';
export { findWebhookHook, recordWebhookDelivery, type WebhookHook } from './webhook-deliveries.ts';
export { listPushes, projectOptions } from './push-views.ts';
export { addHubComment, getComment, listIssueComments, commentsPaused, markCommentFailed, noteBody, POST_COMMENT_TASK, postComment, trackedIssueOfFinding } from './post-comment.ts';
export { RECONCILE_TASK, reconcileLink, scheduleReconciliation } from './reconcile.ts';
export { applyIssue, COMMENT_MARKER, commentMarker, syncIssue, syncNotes, upsertNote } from './sync-issue.ts';
