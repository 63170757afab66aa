import { Anchor, Badge, Button, Stack, Table, Text } from '@mantine/core';
import type { PushSummaryInfo } from '../../../contracts/index.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { describeFailure } from './push-failure.ts';
import { pushStates } from './push-progress.tsx';
import { useRetryPushItem } from './use-issues.ts';

type Item = PushSummaryInfo['items'][number];

/** Rows shown at most; failures first, so the ones that need a hand are always in the list. */
const SHOWN = 200;
const order: Record<Item['state'], number> = { failed: 0, waiting: 1, pending: 2, created: 3, adopted: 4 };

/** A GitLab issue reference that opens the issue in a new tab. */
export function IssueLink({ iid, webUrl }: { iid: number; webUrl: string }) {
  return (
    <Anchor
      href={webUrl}
      target="_blank"
      rel="noopener noreferrer"
      size="sm"
      fw={600}
      aria-label={`#${iid}, opens in GitLab in a new tab`}
    >
      #{iid}
    </Anchor>
  );
}

interface FailureDetailsProps {
  error: string | null;
  publicId: string;
  retrying: boolean;
  onRetry: () => void;
}

function FailureDetails({ error, publicId, retrying, onRetry }: FailureDetailsProps) {
  const { what, todo } = describeFailure(error);
  return (
    <Stack gap={4} align="flex-start">
      <Text size="xs" c="red.9" lineClamp={3} title={what} style={{ overflowWrap: 'anywhere' }}>
        {what}
      </Text>
      <Text size="xs">{todo}</Text>
      <Button
        size="compact-xs"
        variant="light"
        color="red"
        aria-label={`Retry ${publicId}`}
        loading={retrying}
        onClick={onRetry}
      >
        Retry
      </Button>
    </Stack>
  );
}

function StateBadge({ state }: { state: Item['state'] }) {
  const info = pushStates.find((s) => s.state === state)!;
  return (
    <Badge color={info.color} c={info.text} variant="light" tt="none" radius="sm" style={{ minWidth: 'max-content' }}>
      {info.label}
    </Badge>
  );
}

/** One row per finding of the push: its ID, state, issue, and for a failure the reason and Retry. */
export function PushResults({ push }: { push: PushSummaryInfo }) {
  const retry = useRetryPushItem(push.pushId);
  const items = [...push.items].sort((a, b) => order[a.state] - order[b.state]).slice(0, SHOWN);
  return (
    <>
      {retry.error != null && <ErrorAlert error={retry.error} action="retry the finding" />}
      <Table.ScrollContainer minWidth={520} maxHeight={260} type="native">
        <Table
          verticalSpacing={6}
          horizontalSpacing="sm"
          stickyHeader
          aria-label="Result per finding"
          data-testid="push-results"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Finding</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">Issue</Table.Th>
              <Table.Th scope="col">Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id} data-state={item.state}>
                <Table.Td>
                  <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {item.publicId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StateBadge state={item.state} />
                </Table.Td>
                <Table.Td>
                  {item.iid !== null && item.webUrl ? (
                    <IssueLink iid={item.iid} webUrl={item.webUrl} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {item.state === 'failed' ? (
                    <FailureDetails
                      error={item.error}
                      publicId={item.publicId}
                      retrying={retry.isPending && retry.variables === item.id}
                      onRetry={() => retry.mutate(item.id)}
                    />
                  ) : (
                    <Text size="xs" c="dimmed">
                      {item.state === 'waiting'
                        ? 'Waiting for GitLab’s rate limit; it goes on by itself.'
                        : item.state === 'pending'
                          ? 'In the queue.'
                          : item.state === 'adopted'
                            ? 'The issue already existed (found by its ID label).'
                            : ''}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {push.items.length > SHOWN && (
        <Text size="xs" c="dimmed">
          Showing {SHOWN} of {push.items.length.toLocaleString('en-GB')} findings, failures first. Created Issues lists
          them all.
        </Text>
      )}
    </>
  );
}
