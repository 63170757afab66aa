import { Alert, Anchor, Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { VulnerabilityInfo } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { GitlabErrorAlert, useScanProject, useTargetGitlab } from '../gitlab/index.ts';
import { CreateIssueForm } from './create-issue-form.tsx';
import { PushView } from './push-view.tsx';
import { type CreatePushInput, useCreatePush, useScanPushes } from './use-issues.ts';

export interface CreateIssueDialogProps {
  scanId: string;
  targetId: string;
  vulnerability: VulnerabilityInfo;
  opened: boolean;
  onClose: () => void;
  /** Opens the GitLab Issues project picker (this dialog closes meanwhile). */
  onChooseProject: () => void;
}

export const integrationPath = (targetId: string) => `/targets/${encodeURIComponent(targetId)}/integrations`;

/** "Create Issue": options for one issue per finding of a vulnerability, then the push's progress. */
export function CreateIssueDialog(props: CreateIssueDialogProps) {
  const { opened, onClose, vulnerability } = props;
  return (
    <Modal opened={opened} onClose={onClose} title="Create Issue" size="xl" centered>
      {opened && (
        <Stack gap="md">
          <Text fw={600} style={{ overflowWrap: 'anywhere' }} data-testid="create-issue-vulnerability">
            {vulnerability.name}
          </Text>
          <DialogBody {...props} />
        </Stack>
      )}
    </Modal>
  );
}

function ChooseProject({
  onChooseProject,
  onClose,
  message,
}: {
  onChooseProject: () => void;
  onClose: () => void;
  message: string;
}) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" title="Choose the GitLab project first" role="alert">
        <Text size="sm">{message}</Text>
      </Alert>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={onChooseProject} data-autofocus>
          Choose a project
        </Button>
      </Group>
    </Stack>
  );
}

function DialogBody({ scanId, targetId, vulnerability, onClose, onChooseProject }: CreateIssueDialogProps) {
  const gitlab = useTargetGitlab(targetId);
  const project = useScanProject(scanId);
  const pushes = useScanPushes(scanId, true);
  const create = useCreatePush(scanId);
  const [pushId, setPushId] = useState<string | null>(null);
  // A push of this vulnerability still running (the popup was closed meanwhile) shows its progress.
  const running = pushes.data?.find((p) => p.vulnerabilityId === vulnerability.id && !p.finished) ?? null;
  const shownPush = pushId ?? running?.pushId ?? null;

  if (gitlab.isPending || project.isPending) {
    return (
      <Center py="xl" role="status">
        <Loader size="sm" aria-label="Loading the GitLab project" />
      </Center>
    );
  }
  const loadError = gitlab.error ?? project.error;
  if (loadError) {
    return (
      <GitlabErrorAlert
        error={loadError}
        action="load the GitLab project"
        targetId={targetId}
        onRetry={() => void Promise.all([gitlab.refetch(), project.refetch()])}
      />
    );
  }
  if (shownPush) return <PushView pushId={shownPush} scanId={scanId} targetId={targetId} onClose={onClose} />;

  const connection = gitlab.data?.connection ?? null;
  if (!connection || connection.status === 'reconnect_needed') {
    return (
      <Alert
        color={connection ? 'red' : 'yellow'}
        variant="light"
        role="alert"
        title={connection ? 'GitLab needs you to reconnect' : 'This target is not connected to GitLab'}
      >
        <Text size="sm">
          {connection
            ? `GitLab no longer accepts the connection of @${connection.user.username}. Reconnect on the integration page, then create the issues.`
            : 'Connect it first: on the integration page, choose the GitLab instance and click Authorize. Then pick a project and create the issues.'}
        </Text>
        <Anchor component={Link} to={integrationPath(targetId)} size="sm" fw={600} mt="xs" display="inline-block">
          Open the GitLab integration
        </Anchor>
      </Alert>
    );
  }
  const link = project.data ?? null;
  if (!link) {
    return (
      <ChooseProject
        onChooseProject={onChooseProject}
        onClose={onClose}
        message="Vulnbridge creates the issues in the project chosen for this scan, and none is chosen yet. Choose one (you can search, and include group projects), then click Create Issue again."
      />
    );
  }

  const submit = (body: CreatePushInput) => create.mutate(body, { onSuccess: (push) => setPushId(push.pushId) });
  return (
    <CreateIssueForm
      scanId={scanId}
      vulnerability={vulnerability}
      project={link}
      submitting={create.isPending}
      onSubmit={submit}
      onCancel={onClose}
      error={
        create.error != null && (
          <SubmitError error={create.error} targetId={targetId} onChooseProject={onChooseProject} />
        )
      }
    />
  );
}

/** Why the push was refused, and the way out: the picker, the integration page, or the fields. */
function SubmitError({
  error,
  targetId,
  onChooseProject,
}: {
  error: unknown;
  targetId: string;
  onChooseProject: () => void;
}) {
  if (
    isApiError(error) &&
    error.code === 'conflict' &&
    /project/i.test(error.message) &&
    !/not connected/i.test(error.message)
  ) {
    return (
      <Alert color="red" variant="light" role="alert" title="No GitLab project is chosen for this scan">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Text size="sm">{sentence(error.message)} Choose one, then create the issues.</Text>
          <Button size="xs" variant="white" color="red" onClick={onChooseProject}>
            Choose a project
          </Button>
        </Group>
      </Alert>
    );
  }
  return <GitlabErrorAlert error={error} action="create the issues" targetId={targetId} />;
}
