import {
  Anchor,
  Badge,
  Box,
  Button,
  EmptyState,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditEvent } from '../../../contracts/index.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { AUDIT_FILTERS, type AuditFilterName, auditFilterQuery, useAuditLog } from './use-audit-log.ts';

type Draft = Record<AuditFilterName, string>;

const fields: { name: AuditFilterName; label: string; placeholder: string; type?: string }[] = [
  { name: 'actor', label: 'Who', placeholder: 'E-mail or user id' },
  { name: 'action', label: 'Action', placeholder: 'member.added, or member. for all' },
  { name: 'subjectType', label: 'Subject type', placeholder: 'target, user, api_token…' },
  { name: 'subjectId', label: 'Subject id', placeholder: 'An id' },
  { name: 'from', label: 'From', placeholder: 'YYYY-MM-DD', type: 'date' },
  { name: 'to', label: 'To', placeholder: 'YYYY-MM-DD', type: 'date' },
];

const sourceLabels: Record<NonNullable<AuditEvent['source']>, string> = {
  web: 'Web',
  api: 'API',
  cli: 'Command line',
  worker: 'Background job',
};

const draftOf = (params: URLSearchParams): Draft =>
  Object.fromEntries(AUDIT_FILTERS.map((name) => [name, params.get(name) ?? ''])) as Draft;

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

function Who({ event }: { event: AuditEvent }) {
  return (
    <Stack gap={2}>
      {event.actor ? (
        <>
          <Text size="sm">{event.actor.name ?? 'A former member'}</Text>
          <Text size="xs" c="dimmed">
            {event.actor.email ?? event.actor.userId}
          </Text>
        </>
      ) : (
        <Text size="sm">Vulnbridge</Text>
      )}
      {event.apiToken && (
        <Text size="xs">
          API token <strong>{event.apiToken.name ?? event.apiToken.id}</strong>
        </Text>
      )}
    </Stack>
  );
}

function What({ event }: { event: AuditEvent }) {
  const details = detailsText(event.details);
  return (
    <Stack gap={2}>
      <Text size="sm" ff="monospace">
        {event.action}
      </Text>
      {event.subjectType && (
        <Text size="xs" c="dimmed">
          {event.subjectType}
          {event.subjectId ? ` ${event.subjectId}` : ''}
        </Text>
      )}
      {details && (
        <Text size="xs" lineClamp={2} title={details}>
          {details}
        </Text>
      )}
    </Stack>
  );
}

function FromWhere({ event }: { event: AuditEvent }) {
  return (
    <Stack gap={2} align="flex-start">
      {event.source && (
        <Badge variant="light" color={event.source === 'api' ? 'grape' : event.source === 'web' ? 'blue' : 'gray'}>
          {sourceLabels[event.source]}
        </Badge>
      )}
      {event.ip && (
        <Text size="xs" ff="monospace">
          {event.ip}
        </Text>
      )}
      {event.userAgent && (
        <Text size="xs" c="dimmed" lineClamp={1} maw={260} title={event.userAgent}>
          {event.userAgent}
        </Text>
      )}
      {!event.source && !event.ip && (
        <Text size="xs" c="dimmed">
          Not recorded
        </Text>
      )}
    </Stack>
  );
}

/** Settings → Audit log: who did what, when and from where; filters live in the page's URL. */
export function AuditPanel() {
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState<Draft>(() => draftOf(params));
  const search = params.toString();
  useEffect(() => setDraft(draftOf(new URLSearchParams(search))), [search]);
  const log = useAuditLog(params);
  const filters = auditFilterQuery(params);
  const filtered = filters.size > 0;
  const exportHref = `/api/audit-events.csv${filtered ? `?${filters}` : ''}`;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of AUDIT_FILTERS) if (draft[name].trim()) next.set(name, draft[name].trim());
    setParams(next);
  };
  const page = (cursor: 'after' | 'before', value: string) => {
    const next = auditFilterQuery(params);
    next.set(cursor, value);
    setParams(next);
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Who did what in this organization, when, and from where. Only Owners and Administrators see it.
      </Text>
      <Paper withBorder radius="md" p="md" component="form" onSubmit={apply} aria-label="Audit log filters">
        <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
          {fields.map((field) => (
            <TextInput
              key={field.name}
              label={field.label}
              placeholder={field.placeholder}
              type={field.type ?? 'text'}
              value={draft[field.name]}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setDraft((current) => ({ ...current, [field.name]: value }));
              }}
            />
          ))}
        </SimpleGrid>
        <Group justify="space-between" mt="md" gap="sm">
          <Group gap="sm">
            <Button type="submit">Apply filters</Button>
            <Button
              variant="default"
              disabled={!filtered && !params.get('after') && !params.get('before')}
              onClick={() => setParams(new URLSearchParams())}
            >
              Clear
            </Button>
          </Group>
          <Anchor href={exportHref} download>
            Export CSV
          </Anchor>
        </Group>
      </Paper>
      {log.isPending ? (
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm" aria-busy="true" aria-label="Loading the audit log">
            {[0, 1, 2].map((row) => (
              <Skeleton key={row} height={28} radius="sm" />
            ))}
          </Stack>
        </Paper>
      ) : log.isError ? (
        <ErrorAlert
          error={log.error}
          action="load the audit log"
          onRetry={() => void log.refetch()}
          retrying={log.isFetching}
        />
      ) : (
        <>
          <Paper withBorder radius="md">
            {log.data.events.length === 0 ? (
              <EmptyState
                py={40}
                title={filtered ? 'No events match these filters' : 'No events yet'}
                description={
                  filtered
                    ? 'Widen the dates or clear a filter.'
                    : 'Changes to members, tokens, targets and GitLab show here as they happen.'
                }
              />
            ) : (
              <>
                <Stack
                  gap={0}
                  hiddenFrom="sm"
                  component="ul"
                  aria-label="Audit events"
                  p={0}
                  m={0}
                  style={{ listStyle: 'none' }}
                >
                  {log.data.events.map((event, index) => (
                    <Box
                      component="li"
                      key={event.id}
                      p="sm"
                      style={index > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
                    >
                      <Text size="xs" c="dimmed" mb={4}>
                        <DateTime value={event.createdAt} />
                      </Text>
                      <What event={event} />
                      <Group gap="lg" mt={6} align="flex-start" wrap="nowrap">
                        <Who event={event} />
                        <FromWhere event={event} />
                      </Group>
                    </Box>
                  ))}
                </Stack>
                <Table.ScrollContainer minWidth={820} visibleFrom="sm">
                  <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Audit events">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">When</Table.Th>
                        <Table.Th scope="col">Who</Table.Th>
                        <Table.Th scope="col">What</Table.Th>
                        <Table.Th scope="col">From where</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {log.data.events.map((event) => (
                        <Table.Tr key={event.id}>
                          <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                            <DateTime value={event.createdAt} />
                          </Table.Td>
                          <Table.Td style={{ verticalAlign: 'top' }}>
                            <Who event={event} />
                          </Table.Td>
                          <Table.Td style={{ verticalAlign: 'top' }} maw={380}>
                            <What event={event} />
                          </Table.Td>
                          <Table.Td style={{ verticalAlign: 'top' }}>
                            <FromWhere event={event} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </>
            )}
          </Paper>
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              disabled={!log.data.prevCursor}
              onClick={() => log.data.prevCursor && page('before', log.data.prevCursor)}
            >
              Previous page
            </Button>
            <Button
              variant="default"
              disabled={!log.data.nextCursor}
              onClick={() => log.data.nextCursor && page('after', log.data.nextCursor)}
            >
              Next page
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
