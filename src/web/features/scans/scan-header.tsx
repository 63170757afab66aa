import { Alert, Anchor, Badge, Button, DataList, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { ScanInfo } from '../../../contracts/index.ts';
import { BreadcrumbTrail } from '../../components/breadcrumb-trail.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';
import { GitlabIssuesButton } from '../gitlab/index.ts';
import { createdIssuesPath } from '../issues/index.ts';
import { formatBytes, formatLabel } from './severity.ts';
import { useTarget } from './use-scans.ts';

/** Which scan this is: target, tool and version, format, when, from which file; and its export. */
export function ScanHeader({ scan }: { scan: ScanInfo }) {
  const target = useTarget(scan.targetId);
  const targetName = target.data?.name ?? 'Target';
  const tool = `${scan.tool}${scan.toolVersion ? ` ${scan.toolVersion}` : ''}`;
  useDocumentTitle(`Scan of ${targetName}`);
  const targetLink = (
    <Anchor component={Link} to={`/targets/${encodeURIComponent(scan.targetId)}`} size="sm">
      {targetName}
    </Anchor>
  );
  return (
    <header>
      <BreadcrumbTrail
        links={[
          { label: 'Scans', to: '/scans' },
          { label: targetName, to: `/targets/${encodeURIComponent(scan.targetId)}` },
        ]}
        current="Scan report"
      />
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm" mb="md">
        <Stack gap={2}>
          <Group gap="xs" align="center">
            <Title order={1} size="h2">
              Scan of {targetName}
            </Title>
            {scan.empty && (
              <Badge color="gray" variant="outline" radius="sm" tt="none" data-testid="scan-empty">
                Empty
              </Badge>
            )}
          </Group>
          <Text c="dimmed" size="sm">
            {tool} · imported <DateTime value={scan.importedAt} />
          </Text>
        </Stack>
        <Group gap="sm" wrap="wrap" justify="flex-end" ml="auto">
          <GitlabIssuesButton scanId={scan.id} targetId={scan.targetId} />
          <Button component={Link} to={createdIssuesPath(scan.id)} variant="default">
            Created Issues
          </Button>
          <Button
            component="a"
            href={`/api/scans/${encodeURIComponent(scan.id)}/export`}
            download={`vulnbridge-scan-${scan.id}.json`}
            variant="default"
          >
            Download JSON
          </Button>
        </Group>
      </Group>
      <Paper withBorder radius="md" p="md" mb="lg">
        <DataList
          size="sm"
          gap="xs"
          labelWidth="120px"
          style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(340px, 1fr))', columnGap: 24 }}
        >
          <DataList.Item>
            <DataList.ItemLabel>Target</DataList.ItemLabel>
            <DataList.ItemValue>
              {targetLink}
              {target.data && (
                <Text component="span" size="xs" c="dimmed" ff="monospace" ml={6}>
                  {target.data.baseUrl}
                </Text>
              )}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Tool</DataList.ItemLabel>
            <DataList.ItemValue>{tool}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Format</DataList.ItemLabel>
            <DataList.ItemValue>{formatLabel(scan.format)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Imported</DataList.ItemLabel>
            <DataList.ItemValue>
              <DateTime value={scan.importedAt} />
            </DataList.ItemValue>
          </DataList.Item>
          {scan.startedAt && (
            <DataList.Item>
              <DataList.ItemLabel>Scanned</DataList.ItemLabel>
              <DataList.ItemValue>
                <DateTime value={scan.startedAt} />
              </DataList.ItemValue>
            </DataList.Item>
          )}
          {scan.site && (
            <DataList.Item>
              <DataList.ItemLabel>Site</DataList.ItemLabel>
              <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{scan.site}</DataList.ItemValue>
            </DataList.Item>
          )}
          <DataList.Item>
            <DataList.ItemLabel>Source file</DataList.ItemLabel>
            <DataList.ItemValue>
              <Text component="span" size="sm" style={{ overflowWrap: 'anywhere' }}>
                {scan.sourceName}
              </Text>
              <Text component="span" size="xs" c="dimmed" ml={6}>
                {formatBytes(scan.sourceBytes)}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace" title={`SHA-256 ${scan.sourceSha256}`}>
                sha256 {scan.sourceSha256.slice(0, 16)}…
              </Text>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Paper>
      {scan.empty && (
        <Alert color="gray" variant="light" mb="md" title="Empty report">
          The report held no finding. This scan is not compared with the previous one: it does not mean anything was
          fixed.
        </Alert>
      )}
      {scan.warnings.length > 0 && (
        <Alert color="yellow" variant="light" mb="lg" title="Imported with warnings" data-testid="scan-warnings">
          <List size="sm" spacing={2}>
            {scan.warnings.map((w) => (
              <List.Item key={w.kind} style={{ overflowWrap: 'anywhere' }}>
                {w.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </header>
  );
}
