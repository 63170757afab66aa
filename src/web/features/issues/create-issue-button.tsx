import { Button } from '@mantine/core';
import { useState } from 'react';
import type { VulnerabilityInfo } from '../../../contracts/index.ts';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { GitlabProjectPicker } from '../gitlab/index.ts';
import { CreateIssueDialog } from './create-issue-dialog.tsx';

interface CreateIssueButtonProps {
  scanId: string;
  targetId: string;
  vulnerability: VulnerabilityInfo;
}

/**
 * A vulnerability's Create Issue button (Contributors and up) and its popup. Without a project the
 * popup offers the GitLab Issues picker; once a project is saved there, the popup comes back.
 */
export function CreateIssueButton({ scanId, targetId, vulnerability }: CreateIssueButtonProps) {
  const { role } = useCurrentSession();
  const [open, setOpen] = useState<'create' | 'pick' | null>(null);
  if (!canWrite(role)) return null;
  return (
    <>
      <Button
        size="sm"
        onClick={() => setOpen('create')}
        disabled={vulnerability.findingCount === 0}
        style={{ flexShrink: 0 }}
      >
        Create Issue
      </Button>
      <CreateIssueDialog
        scanId={scanId}
        targetId={targetId}
        vulnerability={vulnerability}
        opened={open === 'create'}
        onClose={() => setOpen(null)}
        onChooseProject={() => setOpen('pick')}
      />
      <GitlabProjectPicker
        scanId={scanId}
        targetId={targetId}
        opened={open === 'pick'}
        onClose={() => setOpen('create')}
      />
    </>
  );
}
