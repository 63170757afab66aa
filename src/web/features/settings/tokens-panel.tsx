import { Badge, Code, EmptyState, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ApiToken } from '../../../contracts/index.ts';
import { useCurrentSession } from '../../api/session.ts';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { DataTable, RowAction } from '../../components/data-table.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { AddButton, PanelIntro } from '../../components/panel-intro.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { grantableRoles, roleLabel } from '../../components/roles.ts';
import { useConfirmTarget } from '../../components/use-confirm-target.ts';
import { CreateTokenModal, scopeText } from './create-token-modal.tsx';
import { useRevokeToken, useTokens } from './use-settings-data.ts';

function status(token: ApiToken): { label: string; color: string } {
  if (token.revokedAt) return { label: 'Revoked', color: 'gray' };
  if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) {
    return { label: 'Expired', color: 'orange' };
  }
  return { label: 'Active', color: 'teal' };
}

export function TokensPanel() {
  const session = useCurrentSession();
  const roles = grantableRoles(session.role);
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const revoking = useConfirmTarget(revoke, (token: ApiToken) => token.id);

  const newButton = <AddButton onClick={() => setCreating(true)}>New token</AddButton>;

  return (
    <Stack gap="md">
      <PanelIntro action={tokens.data && tokens.data.length > 0 && newButton}>
        Your tokens let CI jobs and the <Code>vulnbridge</Code> command call the API as you, with the role and scopes
        you choose. Send one as <Code>Authorization: Bearer &lt;token&gt;</Code>.
      </PanelIntro>
      <QueryBody
        query={tokens}
        noun="the API tokens"
        empty={
          <EmptyState
            py={40}
            title="No API tokens"
            description="Create a token for each CI pipeline or script that imports scans, so you can revoke one without breaking the others."
          >
            <EmptyState.Actions>{newButton}</EmptyState.Actions>
          </EmptyState>
        }
      >
        {(list) => (
          <DataTable
            minWidth={920}
            columns={['Name', 'Token', 'Role', 'Scopes', 'Last used', 'Expires', 'Status']}
            actions
          >
            {list.map((token) => {
              const state = status(token);
              return (
                <Table.Tr key={token.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {token.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Created <DateTime value={token.createdAt} />
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Code>{token.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{roleLabel(token.role)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {token.scopes.map((scope) => (
                        <Badge key={scope} variant="outline" color="gray" size="sm">
                          {scopeText[scope].label}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <DateTime value={token.lastUsedAt} empty="Never" />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <DateTime value={token.expiresAt} empty="Never" />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge color={state.color} variant="light">
                      {state.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {!token.revokedAt && (
                      <RowAction label={`Revoke ${token.name}`} onClick={() => revoking.ask(token)}>
                        Revoke
                      </RowAction>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </DataTable>
        )}
      </QueryBody>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} roles={roles} />
      <ConfirmModal {...revoking.modal} title="Revoke token?" confirmLabel="Revoke token" action="revoke the token">
        Anything still using <strong>{revoking.item?.name}</strong> (<Code>{revoking.item?.prefix}…</Code>) will be
        refused from now on. Create a new token first if a pipeline still needs one.
      </ConfirmModal>
    </Stack>
  );
}
