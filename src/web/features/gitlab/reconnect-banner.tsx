import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { GitlabConnectionInfo, GitlabInstanceInfo } from '../../../contracts/index.ts';
import { sentence } from '../../api/describe-error.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { instanceLabel } from './instance-label.ts';
import { useAuthorize } from './use-gitlab.ts';

interface ReconnectBannerProps {
  targetId: string;
  connection: GitlabConnectionInfo;
  instances: GitlabInstanceInfo[];
  writable: boolean;
}

/** GitLab refused the stored grant: says why, and authorizes again (the same OAuth flow). */
export function ReconnectBanner({ targetId, connection, instances, writable }: ReconnectBannerProps) {
  const authorize = useAuthorize(targetId);
  const oauth = connection.authKind === 'oauth' && instances.some((item) => item.id === connection.instanceId);
  const where = instanceLabel(connection, instances);
  return (
    <Alert
      color="red"
      variant="light"
      title="GitLab needs you to reconnect"
      role="alert"
      mb="md"
      style={{ borderLeft: '4px solid var(--mantine-color-red-7)' }}
    >
      <Stack gap="xs">
        <Text size="sm">
          GitLab no longer accepts the connection of @{connection.user.username} on {where}: the access was revoked or
          has expired in GitLab.
        </Text>
        {connection.statusReason && (
          <Text size="xs" c="red.9" data-testid="gitlab-status-reason">
            GitLab said: {sentence(connection.statusReason)}
          </Text>
        )}
        <Text size="sm">
          Pushes and syncs for this target are paused, not lost: they resume once you reconnect.
          {!oauth && ' Connect again with a new access token below.'}
          {!writable && ' Ask a Contributor, Administrator or Owner to reconnect.'}
        </Text>
        {oauth && writable && (
          <Group>
            <Button
              color="red.8"
              onClick={() => authorize.mutate(connection.instanceId)}
              loading={authorize.isPending || authorize.isSuccess}
            >
              Reconnect
            </Button>
          </Group>
        )}
        {authorize.error != null && <ErrorAlert error={authorize.error} action="start the authorization" />}
      </Stack>
    </Alert>
  );
}
