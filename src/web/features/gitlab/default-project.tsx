import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ProjectLinkInfo } from '../../../contracts/index.ts';

/** Teal text dark enough for WCAG AA on a light teal badge (Mantine's teal 9 is not). */
export const okText = '#0a5c44';

export function SyncBadge({ link }: { link: ProjectLinkInfo }) {
  return (
    <Badge
      color={link.syncMode === 'webhook' ? 'teal' : 'yellow'}
      c={link.syncMode === 'webhook' ? okText : undefined}
      variant="light"
      tt="none"
    >
      {link.syncMode === 'webhook' ? 'Synced by webhook' : 'Synced by polling'}
    </Badge>
  );
}

/** What a project link means: the project, the role there, and how changes come back. */
export function ProjectLinkDetails({ link }: { link: ProjectLinkInfo }) {
  return (
    <Stack gap={6}>
      <Group gap="xs" wrap="wrap">
        <Anchor href={link.projectWebUrl} target="_blank" rel="noreferrer" fw={600} ff="monospace" size="sm">
          {link.projectPath}
        </Anchor>
        <SyncBadge link={link} />
        <Badge color="gray" variant="light" tt="none">
          {link.accessName}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {link.syncMode === 'webhook'
          ? 'GitLab tells Vulnbridge about issue changes and comments as they happen (project webhook).'
          : (link.syncReason ?? 'Vulnbridge polls the project for changes.')}
      </Text>
      {link.syncMode === 'webhook' && link.syncReason ? (
        <Text size="sm" c="dimmed">
          {link.syncReason}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The target's default project: the last one chosen in a scan report's GitLab Issues. */
export function DefaultProject({ link }: { link: ProjectLinkInfo | null }) {
  return (
    <Paper withBorder radius="md" p="lg">
      <Title order={2} size="h4" mb="xs">
        Default project
      </Title>
      {link ? (
        <ProjectLinkDetails link={link} />
      ) : (
        <Text size="sm" c="dimmed">
          None yet. Open a scan report of this target and click GitLab Issues to choose the project its issues go to; it
          becomes the default for later scans.
        </Text>
      )}
    </Paper>
  );
}
