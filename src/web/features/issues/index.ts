export { CreateIssueButton } from './create-issue-button.tsx';
export { CreatedIssuesPage } from './created-issues-page.tsx';
export { createdIssuesPath } from './format.ts';
export { IssueStateBadge } from './created-issues-table.tsx';
