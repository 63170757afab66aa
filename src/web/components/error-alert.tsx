import { Alert, Button, Group, Text } from '@mantine/core';
import { describeError } from '../api/describe-error.ts';

interface ErrorAlertProps {
  error: unknown;
  /** What the user was doing, as a verb phrase: "load the targets", "sign in". */
  action: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** Says what went wrong and what to do about it, with a retry button when one makes sense. */
export function ErrorAlert({ error, action, onRetry, retrying }: ErrorAlertProps) {
  const { title, hint } = describeError(error, action);
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Group justify="space-between" align="center" wrap="nowrap" gap="md">
        <Text size="sm">{hint}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry} loading={retrying}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
