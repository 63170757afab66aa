import { Alert, Button, Group, Radio, Select, Stack, Text } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import type { ImportSummaryInfo } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import type { UploadProgress } from '../../api/upload.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormModal, type ModalProps } from '../../components/form-modal.tsx';
import { useTargets } from '../targets/use-targets.ts';
import { DropZone } from './drop-zone.tsx';
import { formatLabels } from './severity.ts';
import { UploadProgressBar } from './upload-progress.tsx';
import { UploadResult } from './upload-result.tsx';
import { useUploadScan } from './use-scans.ts';

interface UploadScanModalProps extends ModalProps {
  /** The target the report is for; absent to let the user choose one. */
  targetId?: string | undefined;
}

/** Uploads a scan report to a target: file, optional format, what to do with other sites, progress, result. */
export function UploadScanModal({ opened, onClose, targetId }: UploadScanModalProps) {
  return (
    <FormModal opened={opened} onClose={onClose} title="Upload a scan report">
      {(onBusyChange) => <UploadForm fixedTargetId={targetId} onDone={onClose} onBusyChange={onBusyChange} />}
    </FormModal>
  );
}

type SitesChoice = 'target' | 'all' | 'split';

const formatOptions = [
  { value: 'auto', label: 'Auto-detect' },
  ...Object.entries(formatLabels).map(([value, label]) => ({ value, label: `${label} (${value})` })),
];

interface UploadFormProps {
  fixedTargetId: string | undefined;
  onDone: () => void;
  onBusyChange: (busy: boolean) => void;
}

function UploadForm({ fixedTargetId, onDone, onBusyChange }: UploadFormProps) {
  const targets = useTargets();
  const upload = useUploadScan();
  const [targetId, setTargetId] = useState<string | null>(fixedTargetId ?? null);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('auto');
  const [sites, setSites] = useState<SitesChoice>('target');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [errors, setErrors] = useState<{ target?: string; file?: string }>({});
  const [imports, setImports] = useState<ImportSummaryInfo[] | null>(null);
  const abort = useRef<AbortController | null>(null);

  if (imports) return <UploadResult imports={imports} onClose={onDone} />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const missing = {
      ...(targetId ? {} : { target: 'Choose the target this report is a scan of.' }),
      ...(file ? {} : { file: 'Choose a report file to upload.' }),
    };
    setErrors(missing);
    if (!targetId || !file) return;
    abort.current = new AbortController();
    setProgress({ loaded: 0, total: file.size });
    onBusyChange(true);
    upload.mutate(
      {
        targetId,
        file,
        format: format === 'auto' ? undefined : format,
        sites,
        onProgress: setProgress,
        signal: abort.current.signal,
      },
      {
        onSuccess: setImports,
        onSettled: () => {
          onBusyChange(false);
          setProgress(null);
        },
      },
    );
  };

  const error = upload.error;
  const cancelled = isApiError(error) && error.code === 'aborted';
  const pending = upload.isPending;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {!fixedTargetId && (
          <Select
            label="Target"
            description="The web application this report is a scan of."
            placeholder={targets.isPending ? 'Loading targets…' : 'Choose a target'}
            data={(targets.data ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.baseUrl})` }))}
            value={targetId}
            onChange={(value) => {
              setTargetId(value);
              setErrors((current) => ({ ...current, target: undefined }));
            }}
            searchable
            required
            disabled={pending}
            error={errors.target}
            nothingFoundMessage="No target matches"
            data-autofocus
          />
        )}
        <DropZone
          file={file}
          disabled={pending}
          error={errors.file}
          onChange={(next) => {
            setFile(next);
            upload.reset();
            setErrors((current) => ({ ...current, file: undefined }));
          }}
        />
        <Select
          label="Format"
          description="Leave on Auto-detect unless the report is refused as the wrong format."
          data={formatOptions}
          value={format}
          onChange={(value) => setFormat(value ?? 'auto')}
          allowDeselect={false}
          disabled={pending}
        />
        <Radio.Group
          label="If the report covers several sites"
          description="http:// and https:// (or a default port) of one host count as one site."
          value={sites}
          onChange={(value) => setSites(value as SitesChoice)}
        >
          <Stack gap={6} mt={6}>
            <Radio
              value="target"
              label="Only this target's site"
              description="Findings on other sites are left out; the result says how many, and where."
              disabled={pending}
            />
            <Radio
              value="all"
              label="All into this target"
              description="Every finding of the report goes into one scan of this target."
              disabled={pending}
            />
            <Radio
              value="split"
              label="One scan per site"
              description="Each site's findings become a scan of the target with that site's address (created when new)."
              disabled={pending}
            />
          </Stack>
        </Radio.Group>
        {progress && <UploadProgressBar progress={progress} />}
        {error != null && !cancelled && <UploadError error={error} />}
        {cancelled && (
          <Text size="sm" role="status">
            Upload cancelled. Nothing was imported.
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => (pending ? abort.current?.abort() : onDone())}>
            {pending ? 'Cancel upload' : 'Cancel'}
          </Button>
          <Button type="submit" loading={pending}>
            Upload and import
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A refused report shows the server's reason as text, and what to do about it. */
function UploadError({ error }: { error: unknown }) {
  if (isApiError(error) && error.code === 'invalid_report') {
    return (
      <Alert color="red" variant="light" title="The report was refused; nothing was imported" role="alert">
        <Stack gap={6}>
          <Text size="sm" data-testid="report-error" style={{ overflowWrap: 'anywhere' }}>
            {error.message}
          </Text>
          <Text size="sm">
            Check that the file is a complete, unmodified report exported by the scanner, and that the format is right
            (choose it under Format if Auto-detect picked the wrong one). Then upload it again.
          </Text>
        </Stack>
      </Alert>
    );
  }
  if (isApiError(error) && error.code === 'payload_too_large') {
    return (
      <Alert color="red" variant="light" title="The report is larger than the server accepts" role="alert">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {sentence(error.message)} Import it with <code>vulnbridge import</code> on the server, or ask your
          administrator to raise the limit.
        </Text>
      </Alert>
    );
  }
  return <ErrorAlert error={error} action="upload the report" />;
}
