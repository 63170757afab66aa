import { Checkbox, Group, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { createApiTokenBodySchema, type RoleName, TOKEN_SCOPES, type TokenScope } from '../../../contracts/index.ts';
import { apiFieldError, type FieldErrors, validate } from '../../api/field-errors.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import {
  FormActions,
  FormModal,
  type ModalFormProps,
  type ModalProps,
  SecretReveal,
} from '../../components/form-modal.tsx';
import { RoleSelect } from '../../components/role-select.tsx';
import { useCreateToken } from './use-settings-data.ts';

type Field = 'name' | 'role' | 'scopes' | 'expiresInDays';

const labels: Record<Field, string> = { name: 'Name', role: 'Role', scopes: 'Scopes', expiresInDays: 'Expires' };
const messages: Record<Field, string> = {
  name: 'Enter a name that says where the token is used (up to 120 characters).',
  role: 'Choose a role.',
  scopes: 'Choose at least one scope.',
  expiresInDays: 'Choose when the token expires.',
};
export const scopeText: Record<TokenScope, { label: string; description: string }> = {
  read: { label: 'Read', description: 'Read targets, scans, findings, issues and settings (GET only).' },
  write: {
    label: 'Write',
    description: 'Read, and change targets, scans, findings, issues and comments (e.g. import scans in CI).',
  },
  admin: { label: 'Admin', description: 'Organization settings, members, GitLab instances and jobs.' },
};

const expiries = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
];

interface CreateTokenModalProps extends ModalProps {
  roles: RoleName[];
}

export function CreateTokenModal({ opened, onClose, roles }: CreateTokenModalProps) {
  return (
    <FormModal opened={opened} onClose={onClose} title="New API token">
      {(onPendingChange) => <CreateTokenForm roles={roles} onDone={onClose} onPendingChange={onPendingChange} />}
    </FormModal>
  );
}

interface CreateTokenFormProps extends ModalFormProps {
  roles: RoleName[];
}

function CreateTokenForm({ roles, onDone, onPendingChange }: CreateTokenFormProps) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>(roles.includes('contributor') ? 'contributor' : roles[0]!);
  const [scopes, setScopes] = useState<TokenScope[]>(['read']);
  const [expiry, setExpiry] = useState('90');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  if (create.data) {
    const { token, secret } = create.data;
    return (
      <SecretReveal
        title="Copy the token now: it will not be shown again."
        notice="Store it in your CI’s secret variables. If you lose it, revoke it and create another."
        summary={
          <>
            Token <strong>{token.name}</strong>
          </>
        }
        value={secret}
        label="Token secret"
        testId="token-secret"
        copyLabel="Copy"
        onDone={onDone}
      />
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const values = {
      name,
      role,
      scopes,
      expiresInDays: expiry === 'never' ? undefined : Number(expiry),
    };
    const result = validate(createApiTokenBodySchema, values, messages);
    if (!result.ok) return setErrors(result.errors);
    onPendingChange(true);
    create.mutate(result.data, {
      onSettled: () => onPendingChange(false),
      onError: (error) => {
        const fieldErrors = apiFieldError(error, labels);
        if (fieldErrors) setErrors(fieldErrors);
      },
    });
  };
  const error = create.error;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Name"
          description="Where it is used, e.g. “GitLab CI – portal pipeline”."
          required
          data-autofocus
          value={name}
          error={errors.name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setErrors((current) => ({ ...current, name: undefined }));
          }}
        />
        <Group grow align="flex-start">
          <RoleSelect
            label="Role"
            description="What the token may do; never more than your role."
            roles={roles}
            value={role}
            onChange={setRole}
            error={errors.role}
          />
          <Select
            label="Expires"
            description="A token that expires limits the damage of a leak."
            data={expiries}
            value={expiry}
            allowDeselect={false}
            onChange={(value) => value && setExpiry(value)}
            error={errors.expiresInDays}
          />
        </Group>
        <Checkbox.Group
          label="Scopes"
          description="What the token may do, within its role. Tokens cannot manage tokens: that needs you signed in."
          required
          value={scopes}
          error={errors.scopes}
          onChange={(value) => {
            setScopes(TOKEN_SCOPES.filter((scope) => value.includes(scope)));
            setErrors((current) => ({ ...current, scopes: undefined }));
          }}
        >
          <Stack gap="xs" mt="xs">
            {TOKEN_SCOPES.map((scope) => (
              <Checkbox
                key={scope}
                value={scope}
                label={scopeText[scope].label}
                description={scopeText[scope].description}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        {error != null && apiFieldError(error, labels) === null && (
          <ErrorAlert error={error} action="create the token" />
        )}
        <FormActions onCancel={onDone} pending={create.isPending} submitLabel="Create token" />
      </Stack>
    </form>
  );
}
