import { Group, Progress, Stack, Text } from '@mantine/core';
import type { UploadProgress } from '../../api/upload.ts';
import { formatBytes } from './severity.ts';

/** Bytes sent so far; once all are sent, says the server is importing. */
export function UploadProgressBar({ progress }: { progress: UploadProgress }) {
  const { loaded, total } = progress;
  const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  const sent = total > 0 && loaded >= total;
  const label = sent
    ? 'Uploaded; importing the report…'
    : `Uploading: ${percent}% (${formatBytes(loaded)} of ${formatBytes(total)})`;
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" aria-live="polite" data-testid="upload-status">
          {label}
        </Text>
        <Text size="sm" c="dimmed" aria-hidden="true">
          {percent}%
        </Text>
      </Group>
      <Progress value={percent} animated={sent} striped={sent} aria-label="Upload progress" size="lg" />
    </Stack>
  );
}
