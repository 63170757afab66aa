import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';

/** What a page passes to a modal form. */
export interface ModalProps {
  opened: boolean;
  onClose: () => void;
}

/** What a modal passes to the form inside it. */
export interface ModalFormProps {
  /** Closes the modal: after success, or on Cancel. */
  onDone: () => void;
  /** Called with true while the form's request runs, and false after. */
  onPendingChange: (pending: boolean) => void;
}

interface FormModalProps extends ModalProps {
  title: string;
  size?: 'md' | 'lg';
  /** Renders the form; it reports while its request is pending, so the modal cannot be closed then. */
  children: (onPendingChange: (pending: boolean) => void) => ReactNode;
}

/** A modal holding a form, which starts afresh each time the modal opens. */
export function FormModal({ opened, onClose, title, size = 'lg', children }: FormModalProps) {
  const [pending, setPending] = useState(false);
  return (
    <Modal opened={opened} onClose={pending ? () => {} : onClose} title={title} centered size={size}>
      {children(setPending)}
    </Modal>
  );
}

interface FormActionsProps {
  onCancel: () => void;
  pending: boolean;
  submitLabel: ReactNode;
}

/** A form's Cancel and submit buttons, right-aligned; the submit button shows the request's progress. */
export function FormActions({ onCancel, pending, submitLabel }: FormActionsProps) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {submitLabel}
      </Button>
    </Group>
  );
}

interface SecretRevealProps {
  /** The warning's title: that the secret is shown only once. */
  title: string;
  /** The warning's text: what to do with the secret. */
  notice: ReactNode;
  /** A line naming what was created. */
  summary: ReactNode;
  value: string;
  /** The secret's accessible name, e.g. "Token secret". */
  label: string;
  testId: string;
  copyLabel: string;
  onDone: () => void;
}

/** Shows a secret created just now, once, with a copy button and Done. */
export function SecretReveal(props: SecretRevealProps) {
  const { title, notice, summary, value, label, testId, copyLabel, onDone } = props;
  return (
    <Stack gap="md">
      <Alert color="yellow" title={title} role="status">
        {notice}
      </Alert>
      <Text size="sm">{summary}</Text>
      <Group gap="sm" wrap="nowrap" align="center">
        <Code
          block
          style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
          aria-label={label}
          data-testid={testId}
        >
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? 'Copied' : copyLabel}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Group justify="flex-end">
        <Button onClick={onDone} data-autofocus>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
