import { Alert, Badge, Button, EmptyState, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { GitlabInstanceInfo } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { isAdmin, useCurrentSession } from '../../api/session.ts';
import { DataTable, RowAction } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { AddButton, PanelIntro } from '../../components/panel-intro.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { useDeleteInstance, useInstances } from '../gitlab/index.ts';
import { AddGitlabInstanceModal } from './add-gitlab-instance-modal.tsx';
import { GitlabRedirectInfo } from './gitlab-redirect-info.tsx';

/** Settings → GitLab: the instances targets can connect to; Administrators add and remove them. */
export function GitlabPanel() {
  const { role } = useCurrentSession();
  const admin = isAdmin(role);
  const instances = useInstances();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<GitlabInstanceInfo | null>(null);
  const list = instances.data ?? [];

  return (
    <Stack gap="md">
      <PanelIntro action={admin && <AddButton onClick={() => setAdding(true)}>Add instance</AddButton>}>
        {admin
          ? 'GitLab instances your targets can connect to. Add a self-managed GitLab with its OAuth application.'
          : 'GitLab instances your targets can connect to. Ask an Administrator to add or remove one.'}
      </PanelIntro>
      {admin && instances.isSuccess && list.length === 0 && <GitlabRedirectInfo instances={list} />}
      <QueryBody
        query={instances}
        noun="the GitLab instances"
        empty={
          <EmptyState
            py={40}
            title="No GitLab instance yet"
            description={
              admin
                ? 'Add your GitLab (self-managed, with a path prefix if it has one). gitlab.com shows here when the server is configured with GITLAB_COM_CLIENT_ID and GITLAB_COM_CLIENT_SECRET.'
                : 'An Administrator adds them here; until then targets cannot connect to GitLab.'
            }
          />
        }
      >
        {(rows) => (
          <DataTable minWidth={760} columns={['Name', 'Base URL', 'Kind', 'Redirect URI and scope']} actions={admin}>
            {rows.map((instance) => (
              <Table.Tr key={instance.id}>
                <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>
                  {instance.name}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {instance.baseUrl}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge
                    variant="light"
                    color={instance.kind === 'gitlab.com' ? 'indigo' : 'gray'}
                    tt="none"
                    style={{ overflow: 'visible' }}
                    styles={{ label: { overflow: 'visible' } }}
                  >
                    {instance.kind}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {instance.redirectUri}
                  </Text>
                  <Text size="xs" c="dimmed">
                    scope {instance.scope}
                  </Text>
                </Table.Td>
                {admin && (
                  <Table.Td ta="right">
                    {instance.kind === 'self-managed' && (
                      <RowAction label={`Delete ${instance.name}`} onClick={() => setRemoving(instance)}>
                        Delete
                      </RowAction>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </QueryBody>
      {admin && <AddGitlabInstanceModal opened={adding} onClose={() => setAdding(false)} instances={list} />}
      <DeleteInstanceModal instance={removing} onClose={() => setRemoving(null)} />
    </Stack>
  );
}

function DeleteInstanceModal({ instance, onClose }: { instance: GitlabInstanceInfo | null; onClose: () => void }) {
  const remove = useDeleteInstance();
  const [shown, setShown] = useState<GitlabInstanceInfo | null>(null);
  if (instance && instance !== shown) {
    setShown(instance);
    remove.reset();
  }
  const error = remove.error;
  const inUse = isApiError(error) && error.code === 'conflict';
  return (
    <Modal
      opened={instance !== null}
      onClose={remove.isPending ? () => {} : onClose}
      title="Delete GitLab instance?"
      centered
    >
      <Stack gap="md">
        <Text size="sm">
          Targets will no longer be able to connect to <strong>{shown?.name}</strong> ({shown?.baseUrl}). The OAuth
          application in GitLab stays; delete it there too if nothing else uses it.
        </Text>
        {inUse && (
          <Alert color="red" variant="light" role="alert" title={sentence(error.message)}>
            Open each target’s GitLab integration and click Disconnect, then delete the instance.
          </Alert>
        )}
        {error != null && !inUse && <ErrorAlert error={error} action="delete the instance" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={remove.isPending} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => shown && remove.mutate(shown.id, { onSuccess: onClose })}
          >
            Delete instance
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
