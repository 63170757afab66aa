import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type InvitationPreview, invitedPasswordSchema } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { apiFieldError, type FieldErrors } from '../../api/field-errors.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { roleLabel } from '../../components/roles.ts';
import { useAcceptInvitation, useInvitationPreview } from './use-invitation.ts';

/** The public page of an invitation link: /invitations/<token>. */
export function AcceptInvitationPage() {
  const { token = '' } = useParams();
  const preview = useInvitationPreview(token);
  if (preview.isPending) return <FullPageLoader />;
  if (preview.isError) {
    const invalid = isApiError(preview.error) && (preview.error.status === 404 || preview.error.status === 400);
    return (
      <AuthLayout title="Invitation" description="This invitation link cannot be used.">
        <Stack gap="md">
          {invalid ? (
            <Alert color="red" title="This invitation cannot be used." role="alert">
              {sentence(isApiError(preview.error) ? preview.error.message : '')}
            </Alert>
          ) : (
            <ErrorAlert error={preview.error} action="open the invitation" />
          )}
          <Anchor component={Link} to="/sign-in" size="sm">
            Go to sign-in
          </Anchor>
        </Stack>
      </AuthLayout>
    );
  }
  return <AcceptForm token={token} invitation={preview.data} />;
}

type Field = 'name' | 'password';
const labels: Record<Field, string> = { name: 'Your name', password: 'Password' };

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const accept = useAcceptInvitation();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const existing = invitation.accountExists;
  const organization = invitation.organization.name;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors<Field> = {};
    if (!existing && !name.trim()) found.name = 'Enter your name.';
    if (existing && !password) found.password = 'Enter the password of your account.';
    if (!existing && !invitedPasswordSchema.safeParse(password).success)
      found.password = 'Choose a password of at least 12 characters.';
    if (found.name || found.password) return setErrors(found);
    accept.mutate(
      { token, email: invitation.email, password, ...(existing ? {} : { name: name.trim() }) },
      {
        onSuccess: () => navigate('/targets', { replace: true }),
        onError: (error) => {
          if (existing) setPassword('');
          if (isApiError(error) && error.code === 'invalid_credentials') {
            setErrors({ password: 'The password is wrong for this account.' });
            return;
          }
          const fieldErrors = apiFieldError(error, labels);
          if (fieldErrors) setErrors(fieldErrors);
        },
      },
    );
  };
  const error = accept.error;
  const onField =
    error != null &&
    ((isApiError(error) && error.code === 'invalid_credentials') || apiFieldError(error, labels) !== null);
  const clear = (field: Field) => setErrors((current) => ({ ...current, [field]: undefined }));

  return (
    <AuthLayout
      title={`Join ${organization}`}
      width={460}
      description={
        <>
          {invitation.invitedBy ?? 'An administrator'} invited <strong>{invitation.email}</strong> to{' '}
          <strong>{organization}</strong> as <strong>{roleLabel(invitation.role)}</strong>. The link works once, until{' '}
          <DateTime value={invitation.expiresAt} />.
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            {existing
              ? 'This email already has a Vulnbridge account. Sign in with its password to accept; nothing changes until you click Accept.'
              : 'Create your account: choose your name and a password only you know.'}
          </Text>
          <TextInput label="Email" value={invitation.email} readOnly autoComplete="username" />
          {!existing && (
            <TextInput
              label={labels.name}
              required
              autoFocus
              autoComplete="name"
              value={name}
              error={errors.name}
              onChange={(event) => {
                setName(event.currentTarget.value);
                clear('name');
              }}
            />
          )}
          <PasswordInput
            label={labels.password}
            required
            autoFocus={existing}
            autoComplete={existing ? 'current-password' : 'new-password'}
            description={existing ? 'The password of your existing account.' : 'At least 12 characters, hard to guess.'}
            value={password}
            error={errors.password}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
              clear('password');
            }}
          />
          {error != null && !onField && <ErrorAlert error={error} action="accept the invitation" />}
          <Button type="submit" loading={accept.isPending} fullWidth mt="xs">
            {existing ? 'Sign in and accept' : 'Create account and accept'}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
