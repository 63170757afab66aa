import { Alert, Anchor, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { GitlabInstanceInfo } from '../../../contracts/index.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { hostOf } from './instance-label.ts';
import { useAuthorize } from './use-gitlab.ts';

export function instanceOptions(instances: GitlabInstanceInfo[]) {
  return instances.map((instance) => ({
    value: instance.id,
    label: `${instance.name} (${instance.kind === 'gitlab.com' ? 'gitlab.com' : hostOf(instance.baseUrl)})`,
  }));
}

/** Says that an Administrator must register an instance first, and where. */
export function NoInstances({ admin }: { admin: boolean }) {
  return (
    <Alert color="yellow" variant="light" title="No GitLab instance is set up yet">
      <Text size="sm">
        {admin ? 'Add one' : 'An Administrator must add one'} under{' '}
        <Anchor component={Link} to="/settings/gitlab" size="sm" fw={500}>
          Settings → GitLab
        </Anchor>{' '}
        (gitlab.com is available when the server is configured for it). Then come back and click Authorize.
      </Text>
    </Alert>
  );
}

interface AuthorizeFormProps {
  targetId: string;
  instances: GitlabInstanceInfo[];
}

/** Picks the instance and leaves for GitLab's consent page (OAuth with PKCE, scope api). */
export function AuthorizeForm({ targetId, instances }: AuthorizeFormProps) {
  const authorize = useAuthorize(targetId);
  const [instanceId, setInstanceId] = useState<string | null>(instances[0]?.id ?? null);
  const chosen = instances.some((item) => item.id === instanceId) ? instanceId : (instances[0]?.id ?? null);
  const leaving = authorize.isPending || authorize.isSuccess;

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <Select
          label="GitLab instance"
          data={instanceOptions(instances)}
          value={chosen}
          onChange={setInstanceId}
          allowDeselect={false}
          w={380}
        />
        <Button onClick={() => chosen && authorize.mutate(chosen)} loading={leaving} disabled={!chosen}>
          Authorize
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        GitLab asks you to sign in and approve access with scope <code>api</code>, then sends you back here. Vulnbridge
        then shows under your GitLab User Settings → Applications, where you can revoke it.
      </Text>
      {authorize.error != null && <ErrorAlert error={authorize.error} action="start the authorization" />}
    </Stack>
  );
}
