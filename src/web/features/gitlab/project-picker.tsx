import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { ProjectLinkDetails } from './default-project.tsx';
import { GitlabErrorAlert } from './gitlab-error-alert.tsx';
import { type PickerProject, ProjectList } from './project-list.tsx';
import { useLinkProject, useScanProject, useTargetGitlab } from './use-gitlab.ts';

interface GitlabProjectPickerProps {
  scanId: string;
  targetId: string;
  opened: boolean;
  onClose: () => void;
}

/** "GitLab Issues": choose the GitLab project this scan's issues go to. */
export function GitlabProjectPicker({ scanId, targetId, opened, onClose }: GitlabProjectPickerProps) {
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      opened={opened}
      onClose={saving ? () => {} : onClose}
      title="GitLab Issues: choose a project"
      size="lg"
      centered
    >
      {opened && <PickerBody scanId={scanId} targetId={targetId} onClose={onClose} onSavingChange={setSaving} />}
    </Modal>
  );
}

interface PickerBodyProps {
  scanId: string;
  targetId: string;
  onClose: () => void;
  onSavingChange: (saving: boolean) => void;
}

const integrationPath = (targetId: string) => `/targets/${encodeURIComponent(targetId)}/integrations`;

function PickerBody({ scanId, targetId, onClose, onSavingChange }: PickerBodyProps) {
  const gitlab = useTargetGitlab(targetId);
  const current = useScanProject(scanId);
  const link = useLinkProject(scanId, targetId);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [includeGroups, setIncludeGroups] = useState(false);
  const [selected, setSelected] = useState<PickerProject | null>(null);
  const [confidential, setConfidential] = useState(true);

  if (gitlab.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader size="sm" aria-label="Loading the GitLab connection" />
      </Center>
    );
  }
  if (gitlab.isError) {
    return (
      <GitlabErrorAlert
        error={gitlab.error}
        action="load the GitLab connection"
        onRetry={() => void gitlab.refetch()}
      />
    );
  }
  const { connection } = gitlab.data;
  if (!connection || connection.status === 'reconnect_needed') {
    return (
      <Stack gap="md">
        <Alert
          color={connection ? 'red' : 'yellow'}
          variant="light"
          role="alert"
          title={connection ? 'GitLab needs you to reconnect' : 'This target is not connected to GitLab'}
        >
          <Text size="sm">
            {connection
              ? `GitLab no longer accepts the connection of @${connection.user.username}. Reconnect on the integration page; paused work resumes after reconnecting.`
              : 'Connect it first: on the integration page, choose the GitLab instance and click Authorize.'}
          </Text>
          <Anchor component={Link} to={integrationPath(targetId)} size="sm" fw={600} mt="xs" display="inline-block">
            Open the GitLab integration
          </Anchor>
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  if (link.data) {
    return (
      <Stack gap="md">
        <Alert color="teal" variant="light" title="Project saved" role="status">
          <List size="sm" spacing={4}>
            {link.data.messages.map((message) => (
              <List.Item key={message}>{message}</List.Item>
            ))}
          </List>
        </Alert>
        <ProjectLinkDetails link={link.data.link} />
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            Done
          </Button>
        </Group>
      </Stack>
    );
  }

  const onSave = () => {
    if (!selected) return;
    onSavingChange(true);
    link.mutate(
      { projectId: selected.id, confidentialByDefault: confidential },
      { onSettled: () => onSavingChange(false) },
    );
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Issues for this scan’s findings are created in the project you choose, as @{connection.user.username}. It also
        becomes the default for later scans of this target.
        {current.data ? ` Now: ${current.data.projectPath}.` : ''}
      </Text>
      <TextInput
        label="Search projects"
        placeholder="Name or path"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        data-autofocus
      />
      <Switch
        label="Include group resources"
        description="Also list the projects of every group and subgroup you belong to."
        checked={includeGroups}
        onChange={(event) => setIncludeGroups(event.currentTarget.checked)}
      />
      <Switch
        label="Create issues as confidential by default"
        description="Security findings usually are; you can still change it for each Create Issue."
        checked={confidential}
        onChange={(event) => setConfidential(event.currentTarget.checked)}
      />
      <ProjectList
        targetId={targetId}
        filter={{ search: debounced, includeGroups }}
        selectedId={selected?.id ?? null}
        onSelect={(project) => {
          link.reset();
          setSelected(project);
        }}
        disabled={link.isPending}
      />
      {link.error != null && <GitlabErrorAlert error={link.error} action="save the project" targetId={targetId} />}
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text size="sm" truncate>
          {selected ? (
            <>
              Selected: <strong>{selected.pathWithNamespace}</strong>
            </>
          ) : (
            'Select a project.'
          )}
        </Text>
        <Group gap="sm" wrap="nowrap">
          <Button variant="default" onClick={onClose} disabled={link.isPending}>
            Cancel
          </Button>
          <Button onClick={onSave} disabled={!selected} loading={link.isPending}>
            Save
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
