import { Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { createMemberBodySchema, type RoleName } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { apiFieldError, type FieldErrors, validate } from '../../api/field-errors.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RoleSelect } from '../../components/role-select.tsx';
import { useAddMember } from './use-settings-data.ts';

type Field = 'email' | 'name' | 'password' | 'role';

const labels: Record<Field, string> = {
  email: 'Email',
  name: 'Name',
  password: 'Temporary password',
  role: 'Role',
};
const messages: Record<Field, string> = {
  email: 'Enter a valid email address, like colleague@example.com.',
  name: 'Enter the person’s name (up to 120 characters).',
  password: 'Choose a password of at least 12 characters.',
  role: 'Choose a role.',
};

interface AddMemberModalProps {
  opened: boolean;
  onClose: () => void;
  roles: RoleName[];
}

export function AddMemberModal({ opened, onClose, roles }: AddMemberModalProps) {
  const [pending, setPending] = useState(false);
  return (
    <Modal opened={opened} onClose={pending ? () => {} : onClose} title="Add member" centered>
      <AddMemberForm roles={roles} onDone={onClose} onPendingChange={setPending} />
    </Modal>
  );
}

interface AddMemberFormProps {
  roles: RoleName[];
  onDone: () => void;
  onPendingChange: (pending: boolean) => void;
}

function AddMemberForm({ roles, onDone, onPendingChange }: AddMemberFormProps) {
  const add = useAddMember();
  const [values, setValues] = useState<Record<Field, string>>({
    email: '',
    name: '',
    password: '',
    role: roles.includes('contributor') ? 'contributor' : (roles.at(-1) ?? 'reader'),
  });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  const set = (key: Field, value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };
  const input = (key: Field) => ({
    label: labels[key],
    value: values[key],
    error: errors[key],
    required: true,
    onChange: (event: { currentTarget: HTMLInputElement }) => set(key, event.currentTarget.value),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createMemberBodySchema, values, messages);
    if (!result.ok) return setErrors(result.errors);
    onPendingChange(true);
    add.mutate(result.data, {
      onSuccess: () => {
        onPendingChange(false);
        onDone();
      },
      onError: (error) => {
        onPendingChange(false);
        if (isApiError(error) && error.code === 'conflict') {
          setErrors({ email: `${sentence(error.message)} Use another email address.` });
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
    ((isApiError(error) && error.code === 'conflict') || apiFieldError(error, labels) !== null);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <TextInput {...input('email')} type="email" placeholder="colleague@example.com" data-autofocus />
        <TextInput {...input('name')} placeholder="Grace Hopper" />
        <PasswordInput
          {...input('password')}
          autoComplete="new-password"
          description="At least 12 characters. Share it with them privately."
        />
        <RoleSelect
          label={labels.role}
          roles={roles}
          value={values.role as RoleName}
          onChange={(role) => set('role', role)}
          error={errors.role}
          required
        />
        {error != null && !onField && <ErrorAlert error={error} action="add the member" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={add.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Add member
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
