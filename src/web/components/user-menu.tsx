import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useCurrentSession, useOrganizations, useSignOut, useSwitchOrganization } from '../api/session.ts';
import { roleLabel } from './roles.ts';
import { ChevronDownIcon } from './icons.tsx';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts.at(-1)![0]] : [parts[0]?.[0]];
  return letters.join('').toUpperCase() || '?';
}

export function UserMenu() {
  const session = useCurrentSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const organizations = useOrganizations();
  const switchOrganization = useSwitchOrganization();
  const others = (organizations.data ?? []).filter((o) => o.id !== session.organization.id);
  const onSignOut = () => {
    signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) });
  };
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`User menu for ${session.user.name}`} px="xs" py={4}>
          <Group gap="xs" wrap="nowrap">
            <Avatar size="sm" radius="xl" color="indigo" aria-hidden="true">
              {initials(session.user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" truncate maw={180}>
              {session.user.name}
            </Text>
            <ChevronDownIcon />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="var(--mantine-color-text)" truncate>
            {session.user.email}
          </Text>
          <Text size="xs" c="dimmed">
            {roleLabel(session.role)} of {session.organization.name}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        {others.length > 0 && (
          <>
            <Menu.Label>Switch organization</Menu.Label>
            {others.map((organization) => (
              <Menu.Item
                key={organization.id}
                disabled={switchOrganization.isPending}
                onClick={() =>
                  switchOrganization.mutate(organization.id, {
                    onSuccess: () => navigate('/targets', { replace: true }),
                  })
                }
              >
                {organization.name}
                <Text component="span" size="xs" c="dimmed">
                  {' '}
                  · {roleLabel(organization.role)}
                </Text>
              </Menu.Item>
            ))}
            <Menu.Divider />
          </>
        )}
        <Menu.Item onClick={onSignOut} disabled={signOut.isPending}>
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
