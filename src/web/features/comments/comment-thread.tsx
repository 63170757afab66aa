import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { IssueStateBadge } from '../issues/index.ts';
import { CommentItem } from './comment-item.tsx';
import classes from './comments.module.css';
import { useAddComment, useFindingComments } from './use-comments.ts';

const isIssueState = (state: string): state is 'opened' | 'closed' | 'deleted' =>
  state === 'opened' || state === 'closed' || state === 'deleted';

function Composer({ findingId }: { findingId: string }) {
  const session = useCurrentSession();
  const [body, setBody] = useState('');
  const add = useAddComment(findingId, session.user.name);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = body.trim();
    if (!text || add.isPending) return;
    add.mutate(text, { onSuccess: () => setBody('') });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Textarea
          label="Add a comment"
          description="Markdown. Posted to the GitLab issue by the GitLab user who connected this target. Ctrl+Enter sends."
          placeholder="Write a comment…"
          autosize
          minRows={3}
          maxRows={12}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
          }}
        />
        {add.isError && <ErrorAlert error={add.error} action="add the comment" />}
        <Group justify="flex-end">
          <Button type="submit" size="sm" disabled={!body.trim()} loading={add.isPending}>
            Comment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The comments on a finding's GitLab issue, both ways, with a composer for Contributors and up. */
export function CommentThread({ findingId }: { findingId: string }) {
  const session = useCurrentSession();
  const thread = useFindingComments(findingId);
  const heading = (
    <Title order={3} size="h5" id="comments-heading">
      Comments
    </Title>
  );

  if (thread.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-labelledby="comments-heading">
        {heading}
        <Skeleton height={64} />
      </Stack>
    );
  }
  if (thread.isError) {
    return (
      <Stack gap="sm">
        {heading}
        <ErrorAlert
          error={thread.error}
          action="load the comments"
          onRetry={() => void thread.refetch()}
          retrying={thread.isFetching}
        />
      </Stack>
    );
  }

  const { issue, comments } = thread.data;
  return (
    <Stack gap="sm" component="section" aria-labelledby="comments-heading" data-testid="comment-thread">
      <Group justify="space-between" align="center" gap="xs">
        {heading}
        {issue && (
          <Group gap={6}>
            {isIssueState(issue.state) && <IssueStateBadge state={issue.state} />}
            <Anchor
              href={issue.webUrl}
              target="_blank"
              rel="noopener noreferrer"
              size="sm"
              data-testid="comment-issue-link"
            >
              {issue.projectPath} #{issue.iid}
              <span className={classes.srOnly}> (opens GitLab in a new tab)</span>
            </Anchor>
          </Group>
        )}
      </Group>
      {!issue ? (
        <Alert variant="light" color="gray" title="No GitLab issue yet" data-testid="comments-empty">
          <Text size="sm">
            Comments are shared with the finding’s GitLab issue. Create the issue first with Create Issue on the
            vulnerability; then comments written here or in GitLab appear on both sides.
          </Text>
        </Alert>
      ) : (
        <>
          {comments.length === 0 ? (
            <Text size="sm" c="dimmed">
              No comments yet. Comments written on the GitLab issue appear here as they are made.
            </Text>
          ) : (
            <ul className={classes.thread} aria-label="Comments" aria-live="polite">
              {comments.map((comment) => (
                <CommentItem key={comment.id} comment={comment} />
              ))}
            </ul>
          )}
          {canWrite(session.role) ? (
            <Composer findingId={findingId} />
          ) : (
            <Text size="xs" c="dimmed">
              Readers can read comments; a Contributor or above can add them.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
