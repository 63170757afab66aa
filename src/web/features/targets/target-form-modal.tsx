import { Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { TargetInfo } from '../../../contracts/index.ts';
import { createTargetBodySchema, updateTargetBodySchema } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { apiFieldError, type FieldErrors, validate } from '../../api/field-errors.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions, FormModal, type ModalFormProps, type ModalProps } from '../../components/form-modal.tsx';
import { useCreateTarget, useRenameTarget } from './use-targets.ts';

type Field = 'name' | 'baseUrl';

const labels: Record<Field, string> = { name: 'Name', baseUrl: 'Base URL' };
const messages: Record<Field, string> = {
  name: 'Enter a name for the target (up to 200 characters).',
  baseUrl: 'Enter the application’s full address, starting with http:// or https://.',
};

interface TargetFormModalProps extends ModalProps {
  /** The target to rename; absent to create a new one. */
  target?: TargetInfo | null;
}

/** Creates a target (name + base URL) or renames one; API field errors appear on their field. */
export function TargetFormModal({ opened, onClose, target }: TargetFormModalProps) {
  return (
    <FormModal opened={opened} onClose={onClose} title={target ? 'Rename target' : 'New target'} size="md">
      {(onPendingChange) => <TargetForm target={target ?? null} onDone={onClose} onPendingChange={onPendingChange} />}
    </FormModal>
  );
}

interface TargetFormProps extends ModalFormProps {
  target: TargetInfo | null;
}

/** The form inside the modal; mounted afresh each time the modal opens. */
function TargetForm({ target, onDone, onPendingChange }: TargetFormProps) {
  const renaming = target !== null;
  const create = useCreateTarget();
  const rename = useRenameTarget();
  const mutation = renaming ? rename : create;
  const [name, setName] = useState(target?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(target?.baseUrl ?? '');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  const onApiError = (error: unknown) => {
    onPendingChange(false);
    if (isApiError(error) && error.code === 'conflict' && !renaming) {
      setErrors({
        baseUrl: `${sentence(error.message)} Open the existing target, or use another URL.`,
      });
      return;
    }
    const fieldErrors = apiFieldError(error, labels);
    if (fieldErrors) setErrors(fieldErrors);
  };
  const onSuccess = () => {
    onPendingChange(false);
    onDone();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (target) {
      const result = validate(updateTargetBodySchema, { name }, { name: messages.name });
      if (!result.ok) return setErrors(result.errors);
      onPendingChange(true);
      rename.mutate({ id: target.id, name: result.data.name }, { onSuccess, onError: onApiError });
    } else {
      const result = validate(createTargetBodySchema, { name, baseUrl }, messages);
      if (!result.ok) return setErrors(result.errors);
      onPendingChange(true);
      create.mutate(result.data, { onSuccess, onError: onApiError });
    }
  };

  const error = mutation.error;
  const shownOnField =
    error != null &&
    ((isApiError(error) && error.code === 'conflict' && !renaming) || apiFieldError(error, labels) !== null);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Name"
          description="How your team refers to this application."
          placeholder="Customer portal"
          required
          data-autofocus
          value={name}
          error={errors.name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setErrors((current) => ({ ...current, name: undefined }));
          }}
        />
        <TextInput
          label="Base URL"
          description={
            renaming
              ? 'The base URL identifies the target and cannot be changed.'
              : 'Where the application is served. Scans of this URL are filed under this target.'
          }
          placeholder="https://portal.example.com"
          type="url"
          required={!renaming}
          readOnly={renaming}
          value={baseUrl}
          error={errors.baseUrl}
          onChange={(event) => {
            setBaseUrl(event.currentTarget.value);
            setErrors((current) => ({ ...current, baseUrl: undefined }));
          }}
        />
        {error != null && !shownOnField && (
          <ErrorAlert error={error} action={renaming ? 'rename the target' : 'create the target'} />
        )}
        <FormActions
          onCancel={onDone}
          pending={mutation.isPending}
          submitLabel={renaming ? 'Save name' : 'Create target'}
        />
      </Stack>
    </form>
  );
}
