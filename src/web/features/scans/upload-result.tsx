import { Alert, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ImportSummaryInfo } from '../../../contracts/index.ts';
import { formatLabel, plural } from './severity.ts';

function Count({ label, value, hint }: { label: string; value: number; hint: string }) {
  return (
    <Stack gap={0} p="sm" bg="gray.0" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} lh={1.2} data-testid={`result-${label.toLowerCase()}`}>
        {value.toLocaleString('en-GB')}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Stack>
  );
}

/** What an upload imported: one block per scan (several when sites were split), with links. */
export function UploadResult({ imports, onClose }: { imports: ImportSummaryInfo[]; onClose: () => void }) {
  return (
    <Stack gap="md">
      <Alert
        color="green"
        variant="light"
        title="Report imported"
        role="status"
        // Mantine's green text is below AA contrast on its light background.
        styles={{ title: { color: '#1b5e2a' } }}
      >
        {imports.length === 1
          ? `A scan was created from this ${formatLabel(imports[0]!.format)} report (${imports[0]!.tool}).`
          : `${imports.length} scans were created, one per site in the report.`}
      </Alert>
      {imports.map((summary) => (
        <Stack key={summary.scanId} gap="xs">
          <SimpleGrid cols={2} spacing="xs">
            <Count label="Vulnerabilities" value={summary.vulnerabilities} hint="kinds of weakness" />
            <Count label="Findings" value={summary.findings} hint="places they were found" />
          </SimpleGrid>
          {summary.empty ? (
            <Text size="sm" data-testid="result-empty">
              The report holds no finding. This scan is marked empty and is not compared with the previous one: it does
              not mean anything was fixed.
            </Text>
          ) : (
            <SimpleGrid cols={3} spacing="xs">
              <Count label="New" value={summary.new} hint="not in the previous scan" />
              <Count label="Recurring" value={summary.recurring} hint="found again" />
              <Count label="Missing" value={summary.missing} hint="gone since the previous scan" />
            </SimpleGrid>
          )}
          {summary.warnings.length > 0 && (
            <Alert color="yellow" variant="light" title="Imported with warnings" data-testid="result-warnings">
              <Stack gap={2}>
                {summary.warnings.map((w) => (
                  <Text key={w.kind} size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {w.message}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          {imports.length > 1 && (
            <Group justify="flex-end">
              <Button component={Link} to={`/scans/${encodeURIComponent(summary.scanId)}`} variant="light">
                Open the scan report ({plural(summary.findings, 'finding')})
              </Button>
            </Group>
          )}
        </Stack>
      ))}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Close
        </Button>
        {imports.length === 1 && (
          <Button component={Link} to={`/scans/${encodeURIComponent(imports[0]!.scanId)}`} data-autofocus>
            Open the scan report
          </Button>
        )}
      </Group>
    </Stack>
  );
}
