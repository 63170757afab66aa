import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ScanInfo, SeverityName, VulnerabilityInfo } from '../../../contracts/index.ts';
import { plural, severityColors, severityFills, severityLabels, severityOrder } from './severity.ts';

interface SeveritySummaryProps {
  scan: ScanInfo;
  vulnerabilities: VulnerabilityInfo[];
}

function vulnerabilityCounts(vulnerabilities: VulnerabilityInfo[]): Record<SeverityName, number> {
  const counts: Record<SeverityName, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const v of vulnerabilities) counts[v.severity] += 1;
  return counts;
}

/** Findings per severity as horizontal bars, in plain SVG; the numbers are also in the cards. */
function SeverityChart({ counts }: { counts: Record<SeverityName, number> }) {
  const max = Math.max(1, ...severityOrder.map((s) => counts[s]));
  const rowHeight = 26;
  const labelWidth = 104;
  const width = 420;
  const barSpace = width - labelWidth - 56;
  return (
    <svg
      viewBox={`0 0 ${width} ${rowHeight * severityOrder.length}`}
      width="100%"
      role="img"
      aria-labelledby="severity-chart-title"
      style={{ maxWidth: 520, display: 'block' }}
    >
      <title id="severity-chart-title">
        {`Findings by severity: ${severityOrder.map((s) => `${severityLabels[s]} ${counts[s]}`).join(', ')}`}
      </title>
      {severityOrder.map((severity, row) => {
        const y = row * rowHeight;
        const bar = counts[severity] === 0 ? 0 : Math.max(2, (counts[severity] / max) * barSpace);
        return (
          <g key={severity}>
            <text x={0} y={y + 17} fontSize={12} fill="var(--mantine-color-text)">
              {severityLabels[severity]}
            </text>
            <rect x={labelWidth} y={y + 5} width={barSpace} height={16} rx={3} fill="var(--mantine-color-gray-1)" />
            <rect x={labelWidth} y={y + 5} width={bar} height={16} rx={3} fill={severityFills[severity]} />
            <text x={labelWidth + barSpace + 8} y={y + 17} fontSize={12} fill="var(--mantine-color-text)">
              {counts[severity].toLocaleString('en-GB')}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function LifecycleCount({ label, value, hint }: { label: string; value: number; hint: string }) {
  return (
    <Group gap="md" wrap="nowrap" align="baseline">
      <Text fz={22} fw={700} lh={1.2} w={72} ta="right" data-testid={`lifecycle-${label.toLowerCase()}`}>
        {value.toLocaleString('en-GB')}
      </Text>
      <Text size="sm">
        <Text component="span" fw={600} size="sm">
          {label}
        </Text>{' '}
        <Text component="span" c="dimmed" size="sm">
          {hint}
        </Text>
      </Text>
    </Group>
  );
}

/** Counts per severity (vulnerabilities and findings), a bar chart, and new/recurring/missing. */
export function SeveritySummary({ scan, vulnerabilities }: SeveritySummaryProps) {
  const vulnCounts = vulnerabilityCounts(vulnerabilities);
  return (
    <section aria-labelledby="summary-heading">
      <Title order={2} size="h4" id="summary-heading" mb="sm">
        Summary
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm" mb="md">
        {severityOrder.map((severity) => (
          <Paper
            key={severity}
            withBorder
            p="sm"
            radius="md"
            data-testid={`severity-${severity}`}
            style={{ borderTop: `4px solid ${severityFills[severity]}` }}
          >
            <Badge color={severityColors[severity]} variant="light" radius="sm">
              {severityLabels[severity]}
            </Badge>
            <Text fz={26} fw={700} lh={1.3} mt={4}>
              {vulnCounts[severity]}{' '}
              <Text component="span" size="sm" fw={500} c="dimmed">
                {vulnCounts[severity] === 1 ? 'vulnerability' : 'vulnerabilities'}
              </Text>
            </Text>
            <Text size="sm" c="dimmed">
              {plural(scan.severityCounts[severity], 'finding')}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md">
          <Text size="sm" fw={600} mb="xs">
            Findings by severity
          </Text>
          <SeverityChart counts={scan.severityCounts} />
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text size="sm" fw={600} mb="xs">
            Compared with the target’s previous scan
          </Text>
          <Stack gap="md" mt="md">
            <LifecycleCount label="New" value={scan.counts.new} hint="first found in this scan" />
            <LifecycleCount label="Recurring" value={scan.counts.recurring} hint="found again" />
            <LifecycleCount label="Missing" value={scan.counts.missing} hint="in the previous scan, not in this one" />
          </Stack>
        </Paper>
      </SimpleGrid>
    </section>
  );
}
