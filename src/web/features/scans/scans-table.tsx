import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ScanInfo, TargetInfo } from '../../../contracts/index.ts';
import { DataTable } from '../../components/data-table.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { formatLabel, plural, severityColors, severityLabels, severityOrder } from './severity.ts';

interface ScansTableProps {
  scans: ScanInfo[];
  /** Shown in a Target column when given (the organization-wide list). */
  targets?: Map<string, TargetInfo> | undefined;
}

function SeverityBadges({ scan }: { scan: ScanInfo }) {
  const present = severityOrder.filter((severity) => scan.severityCounts[severity] > 0);
  if (scan.empty) {
    return (
      <Badge
        color="gray"
        variant="outline"
        radius="sm"
        tt="none"
        title="The report held no finding"
        data-testid="scan-empty"
      >
        Empty
      </Badge>
    );
  }
  if (present.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No findings
      </Text>
    );
  return (
    <Group gap={4} wrap="wrap">
      {present.map((severity) => (
        <Badge
          key={severity}
          color={severityColors[severity]}
          variant="light"
          radius="sm"
          tt="none"
          title={`${severityLabels[severity]} findings`}
        >
          {severityLabels[severity]} {scan.severityCounts[severity].toLocaleString('en-GB')}
        </Badge>
      ))}
    </Group>
  );
}

/** Scans, newest first: when, what tool, which target, and their findings by severity. */
export function ScansTable({ scans, targets }: ScansTableProps) {
  return (
    <DataTable
      minWidth={760}
      highlightOnHover
      caption={`${scans.length === 1 ? '1 scan' : `${scans.length} scans`}, newest first`}
      columns={[
        'Imported',
        targets !== undefined && 'Target',
        'Tool',
        { label: 'Findings', align: 'right' },
        'By severity',
        'Since the previous scan',
      ]}
    >
      {scans.map((scan) => {
        const target = targets?.get(scan.targetId);
        return (
          <Table.Tr key={scan.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Anchor component={Link} to={`/scans/${encodeURIComponent(scan.id)}`} size="sm" fw={600}>
                <DateTime value={scan.importedAt} />
              </Anchor>
              <Text size="xs" c="dimmed" truncate maw={220} title={scan.sourceName}>
                {scan.sourceName}
              </Text>
            </Table.Td>
            {targets && (
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {target ? (
                  <Anchor component={Link} to={`/targets/${encodeURIComponent(target.id)}`} size="sm">
                    {target.name}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    Unknown target
                  </Text>
                )}
              </Table.Td>
            )}
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Text size="sm">
                {scan.tool}
                {scan.toolVersion && ` ${scan.toolVersion}`}
              </Text>
              <Text size="xs" c="dimmed">
                {formatLabel(scan.format)}
              </Text>
            </Table.Td>
            <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
              <Text size="sm" fw={500}>
                {scan.counts.findings.toLocaleString('en-GB')}
              </Text>
              <Text size="xs" c="dimmed">
                {plural(scan.counts.vulnerabilities, 'vulnerability', 'vulnerabilities')}
              </Text>
            </Table.Td>
            <Table.Td>
              <SeverityBadges scan={scan} />
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              {scan.empty ? (
                // An empty report says nothing about what was fixed: no missing count.
                <Text size="sm" c="dimmed">
                  Not compared (empty report)
                </Text>
              ) : (
                <>
                  <Text size="sm">{scan.counts.new.toLocaleString('en-GB')} new</Text>
                  <Text size="xs" c="dimmed">
                    {scan.counts.recurring.toLocaleString('en-GB')} recurring ·{' '}
                    {scan.counts.missing.toLocaleString('en-GB')} missing
                  </Text>
                </>
              )}
              {scan.warnings.length > 0 && (
                <Text
                  size="xs"
                  fw={600}
                  style={{ color: '#7a4b00' }}
                  title={scan.warnings.map((w) => w.message).join('\n')}
                >
                  {plural(scan.warnings.length, 'warning')}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}
