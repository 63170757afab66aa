import { Alert, Divider, Drawer, Grid, Loader, Skeleton, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { FindingInfo, VulnerabilityInfo } from '../../../contracts/index.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { CommentThread } from '../comments/index.ts';
import { CreateIssueButton } from '../issues/index.ts';
import { FindingDetail } from './finding-detail.tsx';
import { ScanHeader } from './scan-header.tsx';
import { SeveritySummary } from './severity-summary.tsx';
import { locateKey, useLocatedFinding, useScanReport } from './use-scans.ts';
import { VulnerabilityList } from './vulnerability-list.tsx';
import { VulnerabilityPanel } from './vulnerability-panel.tsx';

/**
 * A scan report: header, severity summary, vulnerabilities by severity, the open vulnerability's
 * findings, and the open finding in a side drawer. `?vulnerability=<id>&finding=<id>` opens both.
 */
export function ScanReportPage() {
  const { scanId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const report = useScanReport(scanId);
  const queryClient = useQueryClient();
  // A finding chosen by a click is already in view; only a deep-linked one is scrolled to.
  const clicked = useRef<string | null>(null);

  const vulnerabilityId = params.get('vulnerability');
  // Once the user has chosen another vulnerability, each newly shown one takes focus.
  const initialVulnerability = useRef(vulnerabilityId);
  const chosen = useRef(false);
  if (vulnerabilityId !== initialVulnerability.current) chosen.current = true;
  const findingId = params.get('finding');
  const vulnerabilities = report.data?.vulnerabilities ?? [];
  const requested = vulnerabilityId ? (vulnerabilities.find((v) => v.id === vulnerabilityId) ?? null) : null;
  const shown = vulnerabilityId ? requested : (vulnerabilities[0] ?? null);
  const located = useLocatedFinding(requested, findingId);

  if (report.isPending) {
    return (
      <Stack gap="md" aria-busy="true" aria-label="Loading the scan report">
        <Skeleton height={36} width={360} />
        <Skeleton height={120} />
        <Skeleton height={240} />
      </Stack>
    );
  }
  if (report.isError) {
    return (
      <>
        <PageHeader title="Scan report" />
        <ErrorAlert
          error={report.error}
          action="load the scan report"
          onRetry={() => void report.refetch()}
          retrying={report.isFetching}
        />
      </>
    );
  }

  const hrefOf = (v: VulnerabilityInfo) => `?${new URLSearchParams({ vulnerability: v.id })}`;
  const openFinding = (vulnerability: VulnerabilityInfo, finding: FindingInfo, index: number) => {
    clicked.current = finding.id;
    queryClient.setQueryData(locateKey(vulnerability.id, finding.id), { finding, index });
    setParams({ vulnerability: vulnerability.id, finding: finding.id });
  };
  const closeFinding = () => {
    const next = new URLSearchParams(params);
    next.delete('finding');
    setParams(next);
  };
  const finding = located.data?.finding ?? null;
  const scrollToIndex = located.data && located.data.finding.id !== clicked.current ? located.data.index : null;

  return (
    <>
      <ScanHeader scan={report.data.scan} />
      <Stack gap="lg">
        <SeveritySummary scan={report.data.scan} vulnerabilities={vulnerabilities} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <VulnerabilityList vulnerabilities={vulnerabilities} selectedId={shown?.id ?? null} hrefOf={hrefOf} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            {shown ? (
              <VulnerabilityPanel
                key={shown.id}
                vulnerability={shown}
                selectedFindingId={findingId}
                scrollToIndex={scrollToIndex}
                onSelectFinding={(f, index) => openFinding(shown, f, index)}
                focusOnShow={chosen.current}
                actions={
                  <CreateIssueButton scanId={scanId} targetId={report.data.scan.targetId} vulnerability={shown} />
                }
              />
            ) : vulnerabilityId ? (
              <Alert color="orange" variant="light" title="That vulnerability is not in this scan">
                The link may be from another scan. Choose a vulnerability from the list.
              </Alert>
            ) : null}
          </Grid.Col>
        </Grid>
      </Stack>
      <Drawer
        opened={Boolean(requested && findingId)}
        onClose={closeFinding}
        position="right"
        size="min(760px, 100vw)"
        title={
          finding ? (
            <>
              Finding <span data-testid="finding-public-id">{finding.publicId}</span>
            </>
          ) : (
            'Finding'
          )
        }
        closeButtonProps={{ 'aria-label': 'Close finding' }}
      >
        {requested && finding && (
          <Stack gap="xl">
            <FindingDetail finding={finding} vulnerability={requested} />
            <Divider />
            <CommentThread findingId={finding.id} />
          </Stack>
        )}
        {located.isPending && findingId && (
          <Stack align="center" p="xl" role="status">
            <Loader aria-hidden="true" />
            <Text size="sm" c="dimmed">
              Loading the finding…
            </Text>
          </Stack>
        )}
        {located.isError && (
          <ErrorAlert error={located.error} action="load the finding" onRetry={() => void located.refetch()} />
        )}
        {located.isSuccess && located.data === null && (
          <Alert color="orange" variant="light" title="That finding is not in this vulnerability">
            The link may be from another scan. Close this panel and choose a finding from the list.
          </Alert>
        )}
      </Drawer>
    </>
  );
}
