import { Alert, Anchor, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useScanProject, useTargetGitlab } from '../gitlab/index.ts';
import { createdIssuesPath, plural } from './format.ts';
import { PushProgress } from './push-progress.tsx';
import { PushResults } from './push-results.tsx';
import { usePush } from './use-issues.ts';

interface PushViewProps {
  pushId: string;
  scanId: string;
  targetId: string;
  onClose: () => void;
}

/** A push under way or done: progress, a row per finding, and the way to Created Issues. */
export function PushView({ pushId, scanId, targetId, onClose }: PushViewProps) {
  const push = usePush(pushId);
  const project = useScanProject(scanId);
  const gitlab = useTargetGitlab(targetId);

  if (push.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader size="sm" aria-label="Loading the push" />
      </Center>
    );
  }
  if (!push.data) {
    return (
      <ErrorAlert
        error={push.error}
        action="load the push"
        onRetry={() => void push.refetch()}
        retrying={push.isFetching}
      />
    );
  }
  const data = push.data;
  const paused = !data.finished && gitlab.data?.connection?.status === 'reconnect_needed';
  const where = project.data?.projectId === data.projectId ? project.data.projectPath : `project ${data.projectId}`;

  return (
    <Stack gap="md">
      <Text size="sm">
        {data.finished ? 'Pushed' : 'Pushing'} {plural(data.counts.total, 'finding')} to{' '}
        <Text span ff="monospace" fw={600} size="sm">
          {where}
        </Text>
        , one issue each.
      </Text>
      <PushProgress push={data} />
      {paused && (
        <Alert color="red" variant="light" role="alert" title="Paused: GitLab needs you to reconnect">
          <Text size="sm">
            GitLab no longer accepts this target’s connection, so the remaining findings wait. Reconnect on the
            integration page; the push then goes on by itself.
          </Text>
          <Anchor component={Link} to={`/targets/${encodeURIComponent(targetId)}/integrations`} size="sm" fw={600}>
            Open the GitLab integration
          </Anchor>
        </Alert>
      )}
      {push.isError && (
        <ErrorAlert
          error={push.error}
          action="update the progress"
          onRetry={() => void push.refetch()}
          retrying={push.isFetching}
        />
      )}
      <PushResults push={data} />
      <Group justify="space-between" gap="sm">
        <Text size="xs" c="dimmed">
          {data.finished ? '' : 'You can close this window: the issues go on being created in the background.'}
        </Text>
        <Group gap="sm">
          <Button component={Link} to={createdIssuesPath(scanId)} variant="default">
            Open Created Issues
          </Button>
          <Button onClick={onClose} data-autofocus>
            {data.finished ? 'Done' : 'Close'}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
