import { Badge, Button, EmptyState, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { Member, RoleName } from '../../../contracts/index.ts';
import { isAdmin, useCurrentSession } from '../../api/session.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { PlusIcon } from '../../components/icons.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { RoleSelect } from '../../components/role-select.tsx';
import { grantableRoles, roleLabel } from '../../components/roles.ts';
import { InviteMemberModal } from './invite-member-modal.tsx';
import { PendingInvitations } from './pending-invitations.tsx';
import { useChangeRole, useMembers, useRemoveMember } from './use-settings-data.ts';

export function MembersPanel() {
  const session = useCurrentSession();
  const admin = isAdmin(session.role);
  const roles = grantableRoles(session.role);
  const members = useMembers();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [removeOpen, setRemoveOpen] = useState(false);

  /** An Administrator may not change or remove an Owner; nobody changes or removes themselves here. */
  const manageable = (member: Member) =>
    admin && member.userId !== session.user.id && (member.role !== 'owner' || session.role === 'owner');

  const onRole = (member: Member, role: RoleName) => {
    if (role !== member.role) changeRole.mutate({ userId: member.userId, role });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Text size="sm" c="dimmed">
          {admin
            ? 'People who can sign in to this organization. Owners and Administrators manage them.'
            : 'People who can sign in to this organization. Ask an Owner or Administrator to change them.'}
        </Text>
        {admin && (
          <Button leftSection={<PlusIcon />} onClick={() => setAdding(true)}>
            Invite member
          </Button>
        )}
      </Group>
      {changeRole.error != null && (
        <ErrorAlert error={changeRole.error} action="change the role" />
      )}
      <QueryBody
        query={members}
        noun="the members"
        empty={<EmptyState py={40} title="No members" description="Invite the people of your team." />}
      >
        {(list) => (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Email</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Added</Table.Th>
                  {admin && (
                    <Table.Th scope="col" ta="right">
                      Actions
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((member) => {
                  const pending =
                    changeRole.isPending && changeRole.variables?.userId === member.userId;
                  return (
                    <Table.Tr key={member.userId}>
                      <Table.Td fw={500}>
                        <Group gap="xs" wrap="nowrap">
                          {member.name}
                          {member.userId === session.user.id && (
                            <Badge size="sm" variant="light">
                              You
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>{member.email}</Table.Td>
                      <Table.Td w={220}>
                        {manageable(member) ? (
                          <RoleSelect
                            aria-label={`Role of ${member.name}`}
                            size="xs"
                            roles={roles.includes(member.role) ? roles : [member.role, ...roles]}
                            value={member.role}
                            onChange={(role) => onRole(member, role)}
                            disabled={pending}
                            rightSection={pending ? <Loader size={14} aria-label="Saving role" /> : undefined}
                          />
                        ) : (
                          <Badge variant="outline" color="gray" tt="none">
                            {roleLabel(member.role)}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <DateTime value={member.createdAt} />
                      </Table.Td>
                      {admin && (
                        <Table.Td ta="right">
                          {manageable(member) && (
                            <Button
                              size="xs"
                              variant="light"
                              color="red"
                              aria-label={`Remove ${member.name}`}
                              onClick={() => {
                                remove.reset();
                                setRemoving(member);
                                setRemoveOpen(true);
                              }}
                            >
                              Remove
                            </Button>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryBody>
      {admin && <PendingInvitations roles={roles} />}
      <InviteMemberModal opened={adding} onClose={() => setAdding(false)} roles={roles} />
      <ConfirmModal
        opened={removeOpen}
        title="Remove member?"
        confirmLabel="Remove member"
        action="remove the member"
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setRemoveOpen(false)}
        onConfirm={() =>
          removing && remove.mutate(removing.userId, { onSuccess: () => setRemoveOpen(false) })
        }
      >
        <strong>{removing?.name}</strong> ({removing?.email}) will lose access to{' '}
        {session.organization.name} at once and be signed out everywhere. What they created stays.
      </ConfirmModal>
    </Stack>
  );
}
