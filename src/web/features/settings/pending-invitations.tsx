import { Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Invitation, RoleName } from '../../../contracts/index.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { roleLabel } from '../../components/roles.ts';
import { useInvitations, useRevokeInvitation } from './use-settings-data.ts';

/** Invitations not yet accepted, with Revoke (shown to Owners and Administrators). */
export function PendingInvitations({ roles }: { roles: RoleName[] }) {
  const invitations = useInvitations(true);
  const revoke = useRevokeInvitation();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [open, setOpen] = useState(false);

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
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="sm" horizontalSpacing="md">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Email</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Invited by</Table.Th>
              <Table.Th scope="col">Expires</Table.Th>
              <Table.Th scope="col" ta="right">
                Actions
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
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
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      aria-label={`Revoke the invitation of ${invitation.email}`}
                      onClick={() => {
                        revoke.reset();
                        setRevoking(invitation);
                        setOpen(true);
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={open}
        title="Revoke invitation?"
        confirmLabel="Revoke invitation"
        action="revoke the invitation"
        pending={revoke.isPending}
        error={revoke.error}
        onClose={() => setOpen(false)}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setOpen(false) })}
      >
        The link sent to <strong>{revoking?.email}</strong> stops working at once.
      </ConfirmModal>
    </Stack>
  );
}
