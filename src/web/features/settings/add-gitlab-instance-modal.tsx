import { Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { createGitlabInstanceBodySchema, type GitlabInstanceInfo } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { apiFieldError, type FieldErrors, validate } from '../../api/field-errors.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FormActions, FormModal, type ModalFormProps, type ModalProps } from '../../components/form-modal.tsx';
import { useAddInstance } from '../gitlab/index.ts';
import { GitlabRedirectInfo } from './gitlab-redirect-info.tsx';

type Field = 'name' | 'baseUrl' | 'clientId' | 'clientSecret';

const labels: Record<Field, string> = {
  name: 'Name',
  baseUrl: 'Base URL',
  clientId: 'Application ID',
  clientSecret: 'Secret',
};
const messages: Record<Field, string> = {
  name: 'Enter a name people will recognise, like “Company GitLab”.',
  baseUrl: 'Enter the GitLab address, like https://gitlab.example.com or https://example.com/gitlab.',
  clientId: 'Paste the application ID from GitLab.',
  clientSecret: 'Paste the application secret from GitLab.',
};

interface AddGitlabInstanceModalProps extends ModalProps {
  instances: GitlabInstanceInfo[];
}

export function AddGitlabInstanceModal({ opened, onClose, instances }: AddGitlabInstanceModalProps) {
  return (
    <FormModal opened={opened} onClose={onClose} title="Add GitLab instance">
      {(onPendingChange) => (
        <AddInstanceForm instances={instances} onDone={onClose} onPendingChange={onPendingChange} />
      )}
    </FormModal>
  );
}

interface AddInstanceFormProps extends ModalFormProps {
  instances: GitlabInstanceInfo[];
}

function AddInstanceForm({ instances, onDone, onPendingChange }: AddInstanceFormProps) {
  const add = useAddInstance();
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    baseUrl: '',
    clientId: '',
    clientSecret: '',
  });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  const input = (key: Field) => ({
    label: labels[key],
    value: values[key],
    error: errors[key],
    required: true,
    onChange: (event: { currentTarget: HTMLInputElement }) => {
      const value = event.currentTarget.value;
      setValues((current) => ({ ...current, [key]: value }));
      setErrors((current) => ({ ...current, [key]: undefined }));
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createGitlabInstanceBodySchema, values, messages);
    if (!result.ok) return setErrors(result.errors);
    onPendingChange(true);
    add.mutate(result.data, {
      onSettled: () => onPendingChange(false),
      onSuccess: onDone,
      onError: (error) => {
        // The server's URL checks (https, allowed hosts, already registered) belong to the URL field.
        if (isApiError(error) && (error.code === 'conflict' || /URL/.test(error.message))) {
          setErrors({ baseUrl: sentence(error.message) });
          return;
        }
        const fieldErrors = apiFieldError(error, labels);
        if (fieldErrors) setErrors(fieldErrors);
      },
    });
  };
  const error = add.error;
  const onField =
    error != null &&
    ((isApiError(error) && (error.code === 'conflict' || /URL/.test(error.message))) ||
      apiFieldError(error, labels) !== null);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <GitlabRedirectInfo instances={instances} />
        <TextInput {...input('name')} placeholder="Company GitLab" data-autofocus />
        <TextInput
          {...input('baseUrl')}
          placeholder="https://gitlab.example.com"
          description="The address you open GitLab at, including any path prefix (https://example.com/gitlab)."
        />
        <Group grow align="flex-start">
          <TextInput {...input('clientId')} autoComplete="off" />
          <PasswordInput {...input('clientSecret')} autoComplete="off" description="Stored encrypted." />
        </Group>
        {error != null && !onField && <ErrorAlert error={error} action="add the instance" />}
        <FormActions onCancel={onDone} pending={add.isPending} submitLabel="Add instance" />
      </Stack>
    </form>
  );
}
