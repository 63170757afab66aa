import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { signInBodySchema } from '../../../contracts/index.ts';
import { type FieldErrors, validate } from '../../api/field-errors.ts';
import { sessionEndedKey, useSignIn } from '../../api/session.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';

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

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(signInBodySchema, { email, password }, messages);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    signIn.mutate(result.data, {
      onSuccess: () => navigate(returnPath(location.state), { replace: true }),
      onError: () => setPassword(''),
    });
  };

  return (
    <AuthLayout title="Sign in" description="Sign in to your organization’s security findings.">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {sessionEnded && !signIn.error && (
            <Alert color="blue" title="Your session has ended." role="status">
              You were signed out (it expired, or an administrator changed your access). Sign in
              again to continue where you were.
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
