import { Anchor, Breadcrumbs, Button, EmptyState, Skeleton, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PlusIcon, ScanIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { ScansTable, UploadScanModal, useTarget, useTargetScans } from '../scans/index.ts';

/** One target: its base URL, its scans (newest first), and an upload button. */
export function TargetPage() {
  const { targetId = '' } = useParams();
  const { role } = useCurrentSession();
  const writable = canWrite(role);
  const target = useTarget(targetId);
  const scans = useTargetScans(targetId);
  const [uploading, setUploading] = useState(false);

  const uploadButton = writable && (
    <Button leftSection={<PlusIcon />} onClick={() => setUploading(true)}>
      Upload report
    </Button>
  );
  const crumbs = (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs mb="xs">
      <Anchor component={Link} to="/targets" size="sm">
        Targets
      </Anchor>
      <Text size="sm" aria-current="page">
        {target.data?.name ?? 'Target'}
        </Text>
      </Breadcrumbs>
    </nav>
  );

  if (target.isPending) {
    return (
      <>
        {crumbs}
        <Skeleton height={36} width={320} mb="lg" aria-label="Loading the target" />
      </>
    );
  }
  if (target.isError) {
    return (
      <>
        {crumbs}
        <PageHeader title="Target" />
        <ErrorAlert error={target.error} action="load the target" onRetry={() => void target.refetch()} />
      </>
    );
  }

  return (
    <>
      {crumbs}
      <PageHeader
        title={target.data.name}
        description={
          <Text component="span" ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
            {target.data.baseUrl}
          </Text>
        }
        actions={
          <>
            <Button component={Link} to={`/targets/${encodeURIComponent(targetId)}/integrations`} variant="default">
              GitLab integration
            </Button>
            {uploadButton}
          </>
        }
      />
      <Text component="h2" fw={650} size="lg" mb="sm">
        Scans
      </Text>
      <QueryBody
        query={scans}
        noun="the scans"
        empty={
          <EmptyState
            py={40}
            icon={<ScanIcon size={28} />}
            variant="light"
            title="No scans of this target yet"
            description={
              writable
                ? 'Upload a scan report of this application (ZAP, Nuclei, Burp Suite, Wapiti, GitLab DAST or SARIF), or import one from CI with `vulnbridge import`.'
                : 'Ask a Contributor, Administrator or Owner to upload a scan report of this application.'
            }
          >
            {writable && <EmptyState.Actions>{uploadButton}</EmptyState.Actions>}
          </EmptyState>
        }
      >
        {(list) => <ScansTable scans={list} />}
      </QueryBody>
      <UploadScanModal opened={uploading} onClose={() => setUploading(false)} targetId={targetId} />
    </>
  );
}
