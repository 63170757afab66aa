import { Alert, Button, PasswordInput, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { type OrganizationChoice, signInBodySchema } from '../../../contracts/index.ts';
import { type FieldErrors, validate } from '../../api/field-errors.ts';
import { sessionEndedKey, useSignIn } from '../../api/session.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { roleLabel } from '../../components/roles.ts';

type Field = 'email' | 'password';

const messages: Record<Field, string> = {
  email: 'Enter the email address of your account, like you@example.com.',
  password: 'Enter your password.',
};

/** Where to go after signing in: the page that sent the user here, else the targets. */
function returnPath(state: unknown): string {
  if (state && typeof state === 'object' && 'from' in state && typeof state.from === 'string') {
    if (state.from.startsWith('/') && !state.from.startsWith('/sign-in')) return state.from;
  }
  return '/targets';
}

export function SignInPage() {
  const signIn = useSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [sessionEnded] = useState(() => Boolean(queryClient.getQueryData(sessionEndedKey)));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  /** Set when the account belongs to several organizations: the session is for the one picked. */
  const [choices, setChoices] = useState<OrganizationChoice[] | null>(null);

  const submit = (organizationId?: string) => {
    const result = validate(signInBodySchema, { email, password }, messages);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    signIn.mutate(organizationId ? { ...result.data, organizationId } : result.data, {
      onSuccess: (answer) => {
        if ('chooseOrganization' in answer) {
          setChoices(answer.chooseOrganization);
          return;
        }
        setPassword('');
        navigate(returnPath(location.state), { replace: true });
      },
      onError: () => {
        setPassword('');
        setChoices(null);
      },
    });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };

  if (choices) {
    return (
      <AuthLayout
        title="Choose an organization"
        description={`${email} belongs to several organizations. A session is for one of them; you can switch later from the user menu.`}
      >
        <Stack gap="sm">
          {choices.map((organization) => (
            <UnstyledButton
              key={organization.id}
              onClick={() => submit(organization.id)}
              disabled={signIn.isPending}
              p="md"
              style={{
                border: '1px solid var(--mantine-color-default-border)',
                borderRadius: 'var(--mantine-radius-md)',
              }}
            >
              <Text fw={600}>{organization.name}</Text>
              <Text size="sm" c="dimmed">
                {roleLabel(organization.role)}
              </Text>
            </UnstyledButton>
          ))}
          {signIn.error && <ErrorAlert error={signIn.error} action="sign in" />}
          <Button
            variant="subtle"
            onClick={() => {
              setChoices(null);
              setPassword('');
            }}
          >
            Use another account
          </Button>
        </Stack>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Sign in" description="Sign in to your organization’s security findings.">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {sessionEnded && !signIn.error && (
            <Alert color="blue" title="Your session has ended." role="status">
              You were signed out (it expired, or an administrator changed your access). Sign in again to continue where
              you were.
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            placeholder="you@example.com"
            required
            autoFocus
            value={email}
            error={errors.email}
            onChange={(event) => {
              setEmail(event.currentTarget.value);
              setErrors((current) => ({ ...current, email: undefined }));
            }}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            error={errors.password}
            onChange={(event) => {
              setPassword(event.currentTarget.value);
              setErrors((current) => ({ ...current, password: undefined }));
            }}
          />
          {signIn.error && <ErrorAlert error={signIn.error} action="sign in" />}
          <Button type="submit" loading={signIn.isPending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
