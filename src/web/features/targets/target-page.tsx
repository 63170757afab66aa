import { Button, Skeleton, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { BreadcrumbTrail } from '../../components/breadcrumb-trail.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ScanIcon } from '../../components/icons.tsx';
import { ListEmptyState } from '../../components/list-empty-state.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { AddButton } from '../../components/panel-intro.tsx';
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

  const uploadButton = writable && <AddButton onClick={() => setUploading(true)}>Upload report</AddButton>;
  const crumbs = (
    <BreadcrumbTrail links={[{ label: 'Targets', to: '/targets' }]} current={target.data?.name ?? 'Target'} />
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
          <ListEmptyState
            icon={<ScanIcon size={28} />}
            title="No scans of this target yet"
            description={
              writable
                ? 'Upload a scan report of this application (ZAP, Nuclei, Burp Suite, Wapiti, GitLab DAST or SARIF), or import one from CI with `vulnbridge import`.'
                : 'Ask a Contributor, Administrator or Owner to upload a scan report of this application.'
            }
            action={uploadButton}
          />
        }
      >
        {(list) => <ScansTable scans={list} />}
      </QueryBody>
      <UploadScanModal opened={uploading} onClose={() => setUploading(false)} targetId={targetId} />
    </>
  );
}
