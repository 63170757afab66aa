import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';

interface GitlabErrorAlertProps {
  error: unknown;
  /** What the user was doing, as a verb phrase: "load the projects". */
  action: string;
  /** When given, errors the integration page can fix link to it. */
  targetId?: string;
  onRetry?: () => void;
  retrying?: boolean;
}

interface Described {
  title: string;
  hint: string;
  /** The fix is on the target's GitLab integration page. */
  fixOnIntegration: boolean;
  retry: boolean;
}

/** Says what GitLab (or the connection to it) refused, in the server's words, and what to do next. */
export function describeGitlabError(error: unknown): Described | null {
  if (!isApiError(error)) return null;
  const message = sentence(error.message.replace(/: open the target's GitLab settings and click Reconnect$/, ''));
  switch (error.code) {
    case 'reconnect_needed':
      return {
        title: 'GitLab no longer accepts this connection.',
        hint: `${message} Open the GitLab integration and click Reconnect; paused work resumes after reconnecting.`,
        fixOnIntegration: true,
        retry: false,
      };
    case 'gitlab_unavailable':
      return {
        title: message,
        hint: 'GitLab could not be reached or is busy. Try again in a moment.',
        fixOnIntegration: false,
        retry: true,
      };
    case 'gitlab_refused':
      return {
        title: message,
        hint: 'GitLab refused the request. Check the instance and your access there, then try again.',
        fixOnIntegration: false,
        retry: true,
      };
    case 'forbidden':
      // A GitLab role problem names the GitLab user (@name); the hub's own role checks do not.
      if (!error.message.startsWith('@')) return null;
      return { title: message, hint: '', fixOnIntegration: false, retry: false };
    case 'conflict':
      if (!/not connected/i.test(error.message)) return null;
      return {
        title: 'This target is not connected to GitLab yet.',
        hint: 'Open the GitLab integration and click Authorize.',
        fixOnIntegration: true,
        retry: false,
      };
    case 'not_found':
      return {
        title: message,
        hint: 'Pick another project, or reload the list.',
        fixOnIntegration: false,
        retry: false,
      };
    default:
      return null;
  }
}

export function GitlabErrorAlert({ error, action, targetId, onRetry, retrying }: GitlabErrorAlertProps) {
  const described = describeGitlabError(error);
  if (!described) return <ErrorAlert error={error} action={action} onRetry={onRetry} retrying={retrying} />;
  return (
    <Alert color="red" variant="light" title={described.title} role="alert">
      <Stack gap="xs">
        {described.hint && <Text size="sm">{described.hint}</Text>}
        <Group gap="sm">
          {described.fixOnIntegration && targetId && (
            <Anchor component={Link} to={`/targets/${encodeURIComponent(targetId)}/integrations`} size="sm" fw={500}>
              Open the GitLab integration
            </Anchor>
          )}
          {described.retry && onRetry && (
            <Button size="xs" variant="white" color="red" onClick={onRetry} loading={retrying}>
              Try again
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
