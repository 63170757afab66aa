import { Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { createInvitationBodySchema, INVITATION_DAYS, type RoleName } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { apiFieldError, type FieldErrors, validate } from '../../api/field-errors.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import {
  FormActions,
  FormModal,
  type ModalFormProps,
  type ModalProps,
  SecretReveal,
} from '../../components/form-modal.tsx';
import { RoleSelect } from '../../components/role-select.tsx';
import { roleLabel } from '../../components/roles.ts';
import { useCreateInvitation } from './use-settings-data.ts';

type Field = 'email' | 'role';

const labels: Record<Field, string> = { email: 'Email', role: 'Role' };
const messages: Record<Field, string> = {
  email: 'Enter a valid email address, like colleague@example.com.',
  role: 'Choose a role.',
};

interface InviteMemberModalProps extends ModalProps {
  roles: RoleName[];
}

/** Adding a member is an invitation: the person accepts with their own password (issue #14). */
export function InviteMemberModal({ opened, onClose, roles }: InviteMemberModalProps) {
  return (
    <FormModal opened={opened} onClose={onClose} title="Invite member">
      {(onPendingChange) => <InviteMemberForm roles={roles} onDone={onClose} onPendingChange={onPendingChange} />}
    </FormModal>
  );
}

interface InviteMemberFormProps extends ModalFormProps {
  roles: RoleName[];
}

function InviteMemberForm({ roles, onDone, onPendingChange }: InviteMemberFormProps) {
  const create = useCreateInvitation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<RoleName>(
    roles.includes('contributor') ? 'contributor' : (roles.at(-1) ?? 'reader'),
  );
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  if (create.data) {
    const { invitation, url } = create.data;
    return (
      <SecretReveal
        title="Copy the invitation link now: it will not be shown again."
        notice={
          <>
            Send it to {invitation.email} yourself. It works once, only for that address, until{' '}
            <DateTime value={invitation.expiresAt} />. Nothing is granted until they accept it.
          </>
        }
        summary={
          <>
            <strong>{invitation.email}</strong> is invited as {roleLabel(invitation.role)}.
          </>
        }
        value={url}
        label="Invitation link"
        testId="invitation-link"
        copyLabel="Copy link"
        onDone={onDone}
      />
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(createInvitationBodySchema, { email, role }, messages);
    if (!result.ok) return setErrors(result.errors);
    onPendingChange(true);
    create.mutate(result.data, {
      onSettled: () => onPendingChange(false),
      onError: (error) => {
        if (isApiError(error) && error.code === 'conflict') {
          setErrors({ email: sentence(error.message) });
          return;
        }
        const fieldErrors = apiFieldError(error, labels);
        if (fieldErrors) setErrors(fieldErrors);
      },
    });
  };

  const error = create.error;
  const onField =
    error != null && ((isApiError(error) && error.code === 'conflict') || apiFieldError(error, labels) !== null);

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          You get a link to send them. It works once, for {INVITATION_DAYS} days, only for this email address. They
          choose their own password, or sign in with their existing account to accept.
        </Text>
        <TextInput
          label={labels.email}
          type="email"
          placeholder="colleague@example.com"
          required
          data-autofocus
          value={email}
          error={errors.email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            setErrors((current) => ({ ...current, email: undefined }));
          }}
        />
        <RoleSelect
          label={labels.role}
          description="Never more than your own role."
          roles={roles}
          value={role}
          onChange={(next) => {
            setRole(next);
            setErrors((current) => ({ ...current, role: undefined }));
          }}
          error={errors.role}
          required
        />
        {error != null && !onField && <ErrorAlert error={error} action="invite the member" />}
        <FormActions onCancel={onDone} pending={create.isPending} submitLabel="Create invitation link" />
      </Stack>
    </form>
  );
}
