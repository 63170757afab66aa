import { Button, FileButton, Group, Stack, Text } from '@mantine/core';
import { type DragEvent, useState } from 'react';
import { ScanIcon } from '../../components/icons.tsx';
import { formatBytes } from './severity.ts';
import classes from './scans.module.css';

interface DropZoneProps {
  file: File | null;
  onChange: (file: File | null) => void;
  disabled?: boolean;
  error?: string | undefined;
}

/** A file picker that also accepts a file dropped on it. The button is the keyboard path. */
export function DropZone({ file, onChange, disabled, error }: DropZoneProps) {
  const [over, setOver] = useState(false);
  const onDragOver = (event: DragEvent) => {
    if (disabled) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const dropped = event.dataTransfer.files[0];
    if (dropped) onChange(dropped);
  };
  return (
    <Stack gap={4}>
      <Text component="span" size="sm" fw={500} id="report-file-label">
        Report file
      </Text>
      <section
        aria-labelledby="report-file-label"
        className={classes.dropZone}
        data-over={over || undefined}
        data-error={error ? true : undefined}
        onDragOver={onDragOver}
        onDragEnter={onDragOver}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <Group gap="md" wrap="nowrap" justify="center">
          <ScanIcon size={28} />
          <Stack gap={2} align="flex-start">
            {file ? (
              <>
                <Text size="sm" fw={600} style={{ wordBreak: 'break-all' }} data-testid="chosen-file">
                  {file.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(file.size)}
                </Text>
              </>
            ) : (
              <Text size="sm">Drop a scan report here, or choose one.</Text>
            )}
            <FileButton onChange={onChange} disabled={disabled}>
              {(props) => (
                <Button {...props} size="xs" variant="default" mt={4} disabled={disabled}>
                  {file ? 'Choose another file' : 'Choose file'}
                </Button>
              )}
            </FileButton>
          </Stack>
        </Group>
      </section>
      {error && (
        <Text size="xs" c="var(--mantine-color-error)" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
