import { Alert, Avatar, Badge, Group, Loader, Stack, Text } from '@mantine/core';
import type { CommentInfo } from '../../../contracts/index.ts';
import { RelativeTime } from '../../components/relative-time.tsx';
import { initialsOf, okText, safeAvatar } from '../gitlab/index.ts';
import { CommentMarkdown } from './comment-markdown.tsx';
import classes from './comments.module.css';

function OutboundState({ comment }: { comment: CommentInfo }) {
  if (comment.source !== 'hub' || !comment.outboundState) return null;
  if (comment.outboundState === 'pending') {
    return (
      <Group gap={6} wrap="nowrap" data-testid="comment-state" data-state="pending">
        <Loader size={12} aria-hidden="true" />
        <Text size="xs" c="dimmed">
          Posting to GitLab…
        </Text>
      </Group>
    );
  }
  if (comment.outboundState === 'paused') {
    return (
      <Text
        size="xs"
        c="dimmed"
        data-testid="comment-state"
        data-state="paused"
        title="The GitLab connection of this target needs reconnecting; the comment is posted once it is reconnected."
      >
        ⏸ Not posted yet — paused: reconnect GitLab (target → GitLab integration)
      </Text>
    );
  }
  if (comment.outboundState === 'posted') {
    return (
      <Text size="xs" c={okText} data-testid="comment-state" data-state="posted">
        ✓ Posted to GitLab
      </Text>
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      p="xs"
      title="Not posted to GitLab yet"
      data-testid="comment-state"
      data-state="failed"
    >
      <Text size="xs">{comment.error ?? 'GitLab refused the comment.'}</Text>
      <Text size="xs" mt={4}>
        Vulnbridge retries it automatically. If it keeps failing, ask an administrator to check the GitLab connection in
        Settings → Jobs.
      </Text>
    </Alert>
  );
}

/** One comment: who wrote it, when, where (GitLab or Vulnbridge), the rendered Markdown, and its state. */
export function CommentItem({ comment }: { comment: CommentInfo }) {
  const fromGitlab = comment.source === 'gitlab';
  return (
    <li
      className={classes.comment}
      data-testid="comment"
      data-source={comment.source}
      data-internal={comment.internal || undefined}
      data-failed={comment.outboundState === 'failed' || undefined}
    >
      <Stack gap={8}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Avatar
            src={safeAvatar(comment.authorAvatarUrl)}
            alt=""
            size={32}
            radius="xl"
            color="indigo"
            aria-hidden="true"
          >
            {initialsOf(comment.authorName)}
          </Avatar>
          <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
            <Group gap={6} wrap="wrap" align="baseline">
              <Text size="sm" fw={600} data-testid="comment-author">
                {comment.authorName}
              </Text>
              {comment.authorUsername && (
                <Text size="xs" c="dimmed" data-testid="comment-username">
                  {/* A hub comment is written by a Vulnbridge user and posted by the connection's GitLab user. */}
                  {fromGitlab ? `@${comment.authorUsername}` : `posted as @${comment.authorUsername}`}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                · <RelativeTime value={comment.createdAt} />
                {comment.updatedAt !== comment.createdAt && fromGitlab && ' (edited)'}
              </Text>
            </Group>
            <Group gap={6} mt={2}>
              <Badge size="xs" radius="sm" variant="light" color={fromGitlab ? 'orange' : 'indigo'} tt="none">
                {fromGitlab ? 'via GitLab' : 'from Vulnbridge'}
              </Badge>
              {comment.internal && (
                <Badge
                  size="xs"
                  radius="sm"
                  variant="filled"
                  color="yellow.8"
                  tt="none"
                  title="Visible only to project members with at least the Reporter role"
                >
                  internal
                </Badge>
              )}
            </Group>
          </Stack>
        </Group>
        <CommentMarkdown body={comment.body} />
        <OutboundState comment={comment} />
      </Stack>
    </li>
  );
}
