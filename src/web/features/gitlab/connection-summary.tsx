import { Avatar, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { GitlabConnectionInfo, GitlabInstanceInfo } from '../../../contracts/index.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { okText } from './default-project.tsx';
import { hostOf, initialsOf, instanceLabel, safeAvatar } from './instance-label.ts';
import { useDisconnect } from './use-gitlab.ts';

interface ConnectionSummaryProps {
  targetId: string;
  connection: GitlabConnectionInfo;
  instances: GitlabInstanceInfo[];
  writable: boolean;
}

/** Who the target is connected as, where, since when; and Disconnect (which revokes at GitLab). */
export function ConnectionSummary({ targetId, connection, instances, writable }: ConnectionSummaryProps) {
  const disconnect = useDisconnect(targetId);
  const [confirming, setConfirming] = useState(false);
  const where = instanceLabel(connection, instances);
  const { user } = connection;
  const healthy = connection.status === 'connected';

  return (
    <Group justify="space-between" align="center" wrap="nowrap" gap="md">
      <Group gap="md" wrap="nowrap" align="center">
        <Avatar src={safeAvatar(user.avatarUrl)} alt="" size="lg" radius="xl" color="indigo">
          {initialsOf(user.name)}
        </Avatar>
        <Stack gap={2}>
          <Group gap="xs">
            <Text fw={600} data-testid="gitlab-connected-as">
              Connected as @{user.username} on {where}
            </Text>
            <Badge color={healthy ? 'teal' : 'red'} c={healthy ? okText : undefined} variant="light">
              {healthy ? 'Connected' : 'Reconnect needed'}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {user.name} · {hostOf(connection.baseUrl)} ·{' '}
            {connection.authKind === 'oauth' ? 'OAuth (scope api)' : 'access token (scope api)'}
          </Text>
          <Text size="sm" c="dimmed">
            Connected <DateTime value={connection.connectedAt} />
          </Text>
        </Stack>
      </Group>
      {writable && (
        <Button
          variant="light"
          color="red"
          onClick={() => {
            disconnect.reset();
            setConfirming(true);
          }}
        >
          Disconnect
        </Button>
      )}
      <ConfirmModal
        opened={confirming}
        title="Disconnect GitLab?"
        confirmLabel="Disconnect"
        action="disconnect GitLab"
        pending={disconnect.isPending}
        error={disconnect.error}
        onClose={() => setConfirming(false)}
        onConfirm={() => disconnect.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        {connection.authKind === 'oauth' ? (
          <>
            Vulnbridge will revoke its access in GitLab for <strong>@{user.username}</strong> on {where} (it disappears
            from their User Settings → Applications) and forget the token here.
          </>
        ) : (
          <>
            Vulnbridge will forget the access token of <strong>@{user.username}</strong>. To stop the token working in
            GitLab too, revoke it there.
          </>
        )}{' '}
        Issues already created stay in GitLab; syncing stops until the target is connected again.
      </ConfirmModal>
    </Group>
  );
}
