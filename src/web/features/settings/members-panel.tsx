import { Badge, EmptyState, Group, Loader, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import type { Member, RoleName } from '../../../contracts/index.ts';
import { isAdmin, useCurrentSession } from '../../api/session.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DataTable, RowAction } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { AddButton, PanelIntro } from '../../components/panel-intro.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { RoleSelect } from '../../components/role-select.tsx';
import { grantableRoles, roleLabel } from '../../components/roles.ts';
import { useConfirmTarget } from '../../components/use-confirm-target.ts';
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
  const removing = useConfirmTarget(remove, (member: Member) => member.userId);

  /** An Administrator may not change or remove an Owner; nobody changes or removes themselves here. */
  const manageable = (member: Member) =>
    admin && member.userId !== session.user.id && (member.role !== 'owner' || session.role === 'owner');

  const onRole = (member: Member, role: RoleName) => {
    if (role !== member.role) changeRole.mutate({ userId: member.userId, role });
  };

  return (
    <Stack gap="md">
      <PanelIntro action={admin && <AddButton onClick={() => setAdding(true)}>Invite member</AddButton>}>
        {admin
          ? 'People who can sign in to this organization. Owners and Administrators manage them.'
          : 'People who can sign in to this organization. Ask an Owner or Administrator to change them.'}
      </PanelIntro>
      {changeRole.error != null && <ErrorAlert error={changeRole.error} action="change the role" />}
      <QueryBody
        query={members}
        noun="the members"
        empty={<EmptyState py={40} title="No members" description="Invite the people of your team." />}
      >
        {(list) => (
          <DataTable minWidth={720} columns={['Name', 'Email', 'Role', 'Added']} actions={admin}>
            {list.map((member) => {
              const pending = changeRole.isPending && changeRole.variables?.userId === member.userId;
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
                        <RowAction label={`Remove ${member.name}`} onClick={() => removing.ask(member)}>
                          Remove
                        </RowAction>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </DataTable>
        )}
      </QueryBody>
      {admin && <PendingInvitations roles={roles} />}
      <InviteMemberModal opened={adding} onClose={() => setAdding(false)} roles={roles} />
      <ConfirmModal {...removing.modal} title="Remove member?" confirmLabel="Remove member" action="remove the member">
        <strong>{removing.item?.name}</strong> ({removing.item?.email}) will lose access to {session.organization.name}{' '}
        at once and be signed out everywhere. What they created stays.
      </ConfirmModal>
    </Stack>
  );
}
