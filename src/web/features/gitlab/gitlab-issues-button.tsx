import { Anchor, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { SyncBadge } from './default-project.tsx';
import { GitlabProjectPicker } from './project-picker.tsx';
import { useScanProject } from './use-gitlab.ts';

/** The scan report's GitLab Issues button and the project its issues go to. */
export function GitlabIssuesButton({ scanId, targetId }: { scanId: string; targetId: string }) {
  const { role } = useCurrentSession();
  const project = useScanProject(scanId);
  const [opened, setOpened] = useState(false);
  const link = project.data ?? null;
  return (
    <Group gap="sm" wrap="nowrap">
      {link && (
        <Text size="sm" c="dimmed" data-testid="scan-gitlab-project">
          Project{' '}
          <Anchor href={link.projectWebUrl} target="_blank" rel="noreferrer" size="sm" ff="monospace">
            {link.projectPath}
          </Anchor>{' '}
          <SyncBadge link={link} />
        </Text>
      )}
      {canWrite(role) && (
        <Button variant="light" onClick={() => setOpened(true)}>
          GitLab Issues
        </Button>
      )}
      <GitlabProjectPicker scanId={scanId} targetId={targetId} opened={opened} onClose={() => setOpened(false)} />
    </Group>
  );
}
