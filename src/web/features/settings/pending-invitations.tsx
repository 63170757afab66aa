import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { Invitation, RoleName } from '../../../contracts/index.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DataTable, RowAction } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { roleLabel } from '../../components/roles.ts';
import { useConfirmTarget } from '../../components/use-confirm-target.ts';
import { useInvitations, useRevokeInvitation } from './use-settings-data.ts';

/** Invitations not yet accepted, with Revoke (shown to Owners and Administrators). */
export function PendingInvitations({ roles }: { roles: RoleName[] }) {
  const invitations = useInvitations(true);
  const revoke = useRevokeInvitation();
  const revoking = useConfirmTarget(revoke, (invitation: Invitation) => invitation.id);

  if (invitations.isError) return <ErrorAlert error={invitations.error} action="load the pending invitations" />;
  const list = invitations.data ?? [];
  if (list.length === 0) return null;

  return (
    <Stack gap="xs" data-testid="pending-invitations">
      <Title order={2} size="h4">
        Pending invitations
      </Title>
      <Text size="sm" c="dimmed">
        They become members when they open their link and accept. Revoke a link that went astray.
      </Text>
      <DataTable minWidth={720} columns={['Email', 'Role', 'Invited by', 'Expires']} actions>
        {list.map((invitation) => (
          <Table.Tr key={invitation.id}>
            <Table.Td fw={500}>{invitation.email}</Table.Td>
            <Table.Td>
              <Badge variant="outline" color="gray" tt="none">
                {roleLabel(invitation.role)}
              </Badge>
            </Table.Td>
            <Table.Td>{invitation.invitedBy ?? '—'}</Table.Td>
            <Table.Td>
              <DateTime value={invitation.expiresAt} />
            </Table.Td>
            <Table.Td ta="right">
              {roles.includes(invitation.role) && (
                <RowAction
                  label={`Revoke the invitation of ${invitation.email}`}
                  onClick={() => revoking.ask(invitation)}
                >
                  Revoke
                </RowAction>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <ConfirmModal
        {...revoking.modal}
        title="Revoke invitation?"
        confirmLabel="Revoke invitation"
        action="revoke the invitation"
      >
        The link sent to <strong>{revoking.item?.email}</strong> stops working at once.
      </ConfirmModal>
    </Stack>
  );
}
