import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CreatedIssueInfo } from '../../../contracts/index.ts';
import { DataTable } from '../../components/data-table.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { okText } from '../gitlab/index.ts';
import { findingHref } from './format.ts';
import { Assignees } from './person-avatar.tsx';
import { IssueLink } from './push-results.tsx';

const severities: Record<string, { label: string; color: string }> = {
  critical: { label: 'Critical', color: 'grape' },
  high: { label: 'High', color: 'red' },
  medium: { label: 'Medium', color: 'orange' },
  low: { label: 'Low', color: 'yellow' },
  info: { label: 'Informational', color: 'blue' },
};

const states: Record<CreatedIssueInfo['state'], { label: string; color: string; text?: string; title: string }> = {
  opened: { label: 'OPEN', color: 'teal', text: okText, title: 'Open in GitLab' },
  closed: { label: 'CLOSED', color: 'indigo', title: 'Closed in GitLab' },
  deleted: { label: 'DELETED', color: 'gray', title: 'Deleted in GitLab: Vulnbridge no longer finds it' },
};

export function IssueStateBadge({ state }: { state: CreatedIssueInfo['state'] }) {
  const info = states[state];
  return (
    <Badge
      color={info.color}
      c={info.text}
      variant="light"
      radius="sm"
      title={info.title}
      data-testid="issue-state"
      style={{ minWidth: 'max-content' }}
    >
      {info.label}
    </Badge>
  );
}

/** A project path that may wrap after its slashes (and nowhere else). */
function PathWithBreaks({ path }: { path: string }) {
  const parts = path.split('/');
  return (
    <>
      {parts.map((part, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one path never reorder
        <span key={index}>
          {part}
          {index < parts.length - 1 && (
            <>
              /<wbr />
            </>
          )}
        </span>
      ))}
    </>
  );
}

function Labels({ labels }: { labels: string[] }) {
  if (labels.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="wrap" miw={170} maw={240}>
      {labels.map((label) => (
        <Badge
          key={label}
          color="gray"
          variant="light"
          tt="none"
          radius="sm"
          size="sm"
          fw={500}
          maw={280}
          title={label}
        >
          {label}
        </Badge>
      ))}
    </Group>
  );
}

/** Created Issues: one row per GitLab issue of the scan's findings, as last synced. */
export function CreatedIssuesTable({ scanId, issues }: { scanId: string; issues: CreatedIssueInfo[] }) {
  return (
    <DataTable
      minWidth={900}
      horizontalSpacing="sm"
      highlightOnHover
      testId="created-issues"
      columns={[
        'Finding',
        'Vulnerability',
        'Issue and project',
        'State',
        'Assignees',
        'Labels',
        { label: 'Last synced', nowrap: true },
      ]}
    >
      {issues.map((issue) => {
        const severity = severities[issue.severity] ?? { label: issue.severity, color: 'gray' };
        return (
          <Table.Tr key={issue.trackedIssueId} data-public-id={issue.publicId}>
            <Table.Td>
              <Anchor
                component={Link}
                to={findingHref(scanId, issue.vulnerabilityId, issue.findingId)}
                size="sm"
                ff="monospace"
                style={{ whiteSpace: 'nowrap' }}
              >
                {issue.publicId}
              </Anchor>
            </Table.Td>
            <Table.Td maw={240}>
              <Stack gap={2} align="flex-start">
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {issue.vulnerabilityName}
                </Text>
                <Badge color={severity.color} variant="light" radius="sm" size="sm">
                  {severity.label}
                </Badge>
              </Stack>
            </Table.Td>
            <Table.Td>
              <Stack gap={0}>
                <Group gap={6} wrap="nowrap">
                  {issue.webUrl ? (
                    <IssueLink iid={issue.iid} webUrl={issue.webUrl} />
                  ) : (
                    <Text size="sm">#{issue.iid}</Text>
                  )}
                  {issue.origin === 'adopted' && (
                    <Text
                      size="xs"
                      c="dimmed"
                      title="The issue already existed in GitLab; Vulnbridge found it by its ID label"
                    >
                      adopted
                    </Text>
                  )}
                </Group>
                <Text size="xs" c="dimmed" ff="monospace" maw={190} data-testid="issue-project">
                  <PathWithBreaks path={issue.projectPath} />
                </Text>
              </Stack>
            </Table.Td>
            <Table.Td>
              <IssueStateBadge state={issue.state} />
            </Table.Td>
            <Table.Td>
              <Assignees people={issue.assignees} />
            </Table.Td>
            <Table.Td>
              <Labels labels={issue.labels} />
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Text size="sm">
                <RelativeTime value={issue.syncedAt} />
              </Text>
            </Table.Td>
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}
