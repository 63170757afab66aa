import { Anchor, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import type { TargetInfo } from '../../../contracts/index.ts';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DataTable, RowAction } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { TargetIcon } from '../../components/icons.tsx';
import { ListEmptyState } from '../../components/list-empty-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { AddButton } from '../../components/panel-intro.tsx';
import { TargetFormModal } from './target-form-modal.tsx';
import { useDeleteTarget, useTargets } from './use-targets.ts';

type Dialog = 'create' | 'rename' | 'delete' | null;

export function TargetsPage() {
  const { role } = useCurrentSession();
  const writable = canWrite(role);
  const targets = useTargets();
  const remove = useDeleteTarget();
  const [dialog, setDialog] = useState<Dialog>(null);
  // Kept after a dialog closes so its text does not change during the closing transition.
  const [selected, setSelected] = useState<TargetInfo | null>(null);

  const open = (kind: Dialog, target: TargetInfo | null) => {
    setSelected(target);
    setDialog(kind);
  };
  const openCreate = () => open('create', null);
  const close = () => setDialog(null);

  const newButton = writable && <AddButton onClick={openCreate}>New target</AddButton>;

  let body: ReactNode;
  if (targets.isPending) {
    body = (
      <Stack gap="sm" p="md" aria-busy="true" aria-label="Loading targets">
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} height={28} radius="sm" />
        ))}
      </Stack>
    );
  } else if (targets.isError) {
    body = (
      <ErrorAlert
        error={targets.error}
        action="load the targets"
        onRetry={() => void targets.refetch()}
        retrying={targets.isFetching}
      />
    );
  } else if (targets.data.length === 0) {
    body = (
      <ListEmptyState
        py={48}
        icon={<TargetIcon size={28} />}
        title="No targets yet"
        description={
          writable
            ? 'A target is a web application you scan. Create one with its base URL, then import scan reports of it.'
            : 'A target is a web application your team scans. Ask a Contributor, Administrator or Owner to create one.'
        }
        action={newButton}
      />
    );
  } else {
    const sorted = [...targets.data].sort((a, b) => a.name.localeCompare(b.name));
    body = (
      <DataTable
        minWidth={640}
        highlightOnHover
        caption={sorted.length === 1 ? '1 target' : `${sorted.length} targets`}
        columns={['Name', 'Base URL', 'Created']}
        actions={writable}
      >
        {sorted.map((target) => (
          <Table.Tr key={target.id}>
            <Table.Td>
              <Anchor component={Link} to={`/targets/${encodeURIComponent(target.id)}`} fw={600} size="sm">
                {target.name}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text ff="monospace" size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
                {target.baseUrl}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                <DateTime value={target.createdAt} />
              </Text>
            </Table.Td>
            {writable && (
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <RowAction tone="neutral" label={`Rename ${target.name}`} onClick={() => open('rename', target)}>
                    Rename
                  </RowAction>
                  <RowAction
                    label={`Delete ${target.name}`}
                    onClick={() => {
                      remove.reset();
                      open('delete', target);
                    }}
                  >
                    Delete
                  </RowAction>
                </Group>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </DataTable>
    );
  }

  return (
    <>
      <PageHeader
        title="Targets"
        description="The web applications your team scans. Each scan report is filed under its target."
        actions={targets.data && targets.data.length > 0 ? newButton : null}
      />
      <Paper withBorder radius="md" p={targets.isError ? 'md' : 0}>
        {body}
      </Paper>
      <TargetFormModal opened={dialog === 'create' || dialog === 'rename'} target={selected} onClose={close} />
      <ConfirmModal
        opened={dialog === 'delete'}
        title="Delete target?"
        confirmLabel="Delete target and its scans"
        action="delete the target"
        pending={remove.isPending}
        error={remove.error}
        onClose={close}
        onConfirm={() => selected && remove.mutate(selected.id, { onSuccess: close })}
      >
        <Text size="sm">
          <strong>{selected?.name}</strong> ({selected?.baseUrl}) will be deleted, and all its scans, vulnerabilities
          and findings go with it. Issues already created in GitLab stay there. This cannot be undone.
        </Text>
      </ConfirmModal>
    </>
  );
}
