import { Alert, Button, EmptyState, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { BreadcrumbTrail } from '../../components/breadcrumb-trail.tsx';
import { useDocumentTitle } from '../../components/page-header.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { GitlabErrorAlert, okText } from '../gitlab/index.ts';
import { CreatedIssuesTable } from './created-issues-table.tsx';
import { plural } from './format.ts';
import { useCreatedIssues, useRefreshIssues, useScanSummary, useTargetSummary } from './use-issues.ts';

/** Created Issues of a scan: every GitLab issue made for its findings, with state and assignees. */
export function CreatedIssuesPage() {
  const { scanId = '' } = useParams();
  const scan = useScanSummary(scanId);
  const target = useTargetSummary(scan.data?.scan.targetId);
  const issues = useCreatedIssues(scanId);
  const refresh = useRefreshIssues(scanId);
  const targetName = target.data?.name ?? 'Target';
  const reportPath = `/scans/${encodeURIComponent(scanId)}`;
  useDocumentTitle(`Created Issues of ${targetName}`);

  return (
    <>
      <header>
        <BreadcrumbTrail
          links={[
            { label: 'Scans', to: '/scans' },
            scan.data ? { label: targetName, to: `/targets/${encodeURIComponent(scan.data.scan.targetId)}` } : null,
            { label: 'Scan report', to: reportPath },
          ]}
          current="Created Issues"
        />
        <Group justify="space-between" align="flex-end" mb="lg" wrap="nowrap">
          <Stack gap={4}>
            <Title order={1} size="h2">
              Created Issues
            </Title>
            <Text c="dimmed" size="sm">
              GitLab issues of this scan’s findings, with their state and assignees as Vulnbridge last synced them.
              Refresh reads them all from GitLab now.
            </Text>
          </Stack>
          <Group gap="sm" wrap="nowrap">
            <Button component={Link} to={reportPath} variant="default">
              Scan report
            </Button>
            <Button onClick={() => refresh.mutate()} loading={refresh.isPending} disabled={!issues.data?.length}>
              Refresh
            </Button>
          </Group>
        </Group>
      </header>
      <Stack gap="md">
        {refresh.data && (
          <Alert
            color="teal"
            variant="light"
            role="status"
            title="Up to date with GitLab"
            styles={{ title: { color: okText } }}
            data-testid="refresh-result"
            withCloseButton
            onClose={() => refresh.reset()}
            closeButtonLabel="Dismiss"
          >
            <Text size="sm">
              {plural(refresh.data.refreshed, 'issue')} refreshed in {plural(refresh.data.calls, 'call')}.
              {refresh.data.missing > 0 &&
                ` ${plural(refresh.data.missing, 'issue')} no longer ${refresh.data.missing === 1 ? 'exists' : 'exist'} in GitLab (deleted or moved), shown as DELETED.`}
            </Text>
          </Alert>
        )}
        {refresh.error != null && (
          <GitlabErrorAlert
            error={refresh.error}
            action="refresh the issues"
            targetId={scan.data?.scan.targetId}
            onRetry={() => refresh.mutate()}
            retrying={refresh.isPending}
          />
        )}
        <QueryBody
          query={issues}
          noun="the created issues"
          empty={
            <EmptyState
              py={40}
              title="No GitLab issues for this scan yet"
              description="Open the scan report, choose a vulnerability and click Create Issue: Vulnbridge creates one GitLab issue per finding, and they show here with their live state."
            >
              <Button component={Link} to={reportPath} mt="md">
                Open the scan report
              </Button>
            </EmptyState>
          }
        >
          {(list) => <CreatedIssuesTable scanId={scanId} issues={list} />}
        </QueryBody>
      </Stack>
    </>
  );
}
