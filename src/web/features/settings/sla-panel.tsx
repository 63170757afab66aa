import { Alert, Button, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type SeverityName, settingsSchema } from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';
import { describeError } from '../../api/describe-error.ts';
import { isAdmin, useCurrentSession } from '../../api/session.ts';

const severities: { value: SeverityName; label: string }[] = [
  { value: 'critical', label: 'Critical' },
  { value: 'high', label: 'High' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low' },
  { value: 'info', label: 'Informational' },
];
type Sla = Record<SeverityName, number | null>;
const settingsKey = ['settings'] as const;

/** The per-severity SLA: days until a new issue is due (its default due date in Create Issue). */
export function SlaPanel() {
  const { role } = useCurrentSession();
  const editable = isAdmin(role);
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => api('/settings', { schema: settingsSchema }) });
  const [draft, setDraft] = useState<Sla | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data.slaDays);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (slaDays: Sla) => api('/settings', { method: 'PUT', body: { slaDays }, schema: settingsSchema }),
    onSuccess: (data) => queryClient.setQueryData(settingsKey, data),
  });

  if (settings.isError) {
    const { title, hint } = describeError(settings.error, 'load the settings');
    return (
      <Alert color="red" title={title}>
        {hint}
      </Alert>
    );
  }
  if (!draft) return <Text size="sm">Loading…</Text>;
  return (
    <Stack gap="md" maw={560}>
      <Text size="sm">
        Days a security team gives itself to fix a finding, by severity. Create Issue sets the issue’s due date to today
        plus these days (leave empty for no due date); people can still change it for each push.
      </Text>
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Days until due</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {severities.map(({ value, label }) => (
            <Table.Tr key={value}>
              <Table.Td>{label}</Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`Days until due for ${label} findings`}
                  placeholder="No due date"
                  min={1}
                  max={3650}
                  allowDecimal={false}
                  disabled={!editable}
                  value={draft[value] ?? ''}
                  onChange={(next) => setDraft({ ...draft, [value]: typeof next === 'number' ? next : null })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.isError && (
        <Alert color="red" title={describeError(save.error, 'save the SLA').title}>
          {describeError(save.error, 'save the SLA').hint}
        </Alert>
      )}
      {save.isSuccess && !save.isPending && <Text size="sm">Saved.</Text>}
      {editable ? (
        <Group>
          <Button onClick={() => save.mutate(draft)} loading={save.isPending}>
            Save SLA
          </Button>
        </Group>
      ) : (
        <Text size="sm">Only Owners and Administrators can change the SLA.</Text>
      )}
    </Stack>
  );
}
