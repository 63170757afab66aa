import { Button, EmptyState } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { PlusIcon, ScanIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { useTargets } from '../targets/use-targets.ts';
import { ScansTable } from './scans-table.tsx';
import { UploadScanModal } from './upload-scan-modal.tsx';
import { useScans } from './use-scans.ts';

/** Every scan of the organization, newest first, and an upload button with a target select. */
export function ScansPage() {
  const { role } = useCurrentSession();
  const writable = canWrite(role);
  const scans = useScans();
  const targets = useTargets();
  const [uploading, setUploading] = useState(false);
  const byId = useMemo(() => new Map((targets.data ?? []).map((t) => [t.id, t])), [targets.data]);
  const hasTargets = (targets.data?.length ?? 0) > 0;

  const uploadButton = writable && hasTargets && (
    <Button leftSection={<PlusIcon />} onClick={() => setUploading(true)}>
      Upload report
    </Button>
  );

  let description: string;
  if (!hasTargets) {
    description =
      'Every scan report is filed under the target it tested. Create a target first, then upload a scan report of it here or from the target’s page.';
  } else if (writable) {
    description =
      'Upload a report from ZAP, Nuclei, Burp Suite, Wapiti, GitLab DAST or any SARIF tool, or import one from CI with `vulnbridge import`.';
  } else {
    description = 'Ask a Contributor, Administrator or Owner to upload a scan report of one of your targets.';
  }
  const empty = (
    <EmptyState py={48} icon={<ScanIcon size={28} />} variant="light" title="No scans yet" description={description}>
      {!hasTargets && (
        <EmptyState.Actions>
          <Button component={Link} to="/targets" variant="light">
            Go to targets
          </Button>
        </EmptyState.Actions>
      )}
      {hasTargets && writable && <EmptyState.Actions>{uploadButton}</EmptyState.Actions>}
    </EmptyState>
  );

  return (
    <>
      <PageHeader
        title="Scans"
        description="Scan reports of your targets, with their vulnerabilities grouped by severity."
        actions={scans.data && scans.data.length > 0 ? uploadButton : null}
      />
      <QueryBody query={scans} noun="the scans" empty={empty}>
        {(list) => <ScansTable scans={list} targets={byId} />}
      </QueryBody>
      <UploadScanModal opened={uploading} onClose={() => setUploading(false)} />
    </>
  );
}
