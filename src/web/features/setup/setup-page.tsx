import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { setupBodySchema } from '../../../contracts/index.ts';
import { isApiError } from '../../api/client.ts';
import { sentence } from '../../api/describe-error.ts';
import { apiFieldError, type FieldErrors, validate } from '../../api/field-errors.ts';
import { setupKey, useSetup } from '../../api/session.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';

type Field = 'setupCode' | 'organizationName' | 'name' | 'email' | 'password';

const labels: Record<Field, string> = {
  setupCode: 'Set-up code',
  organizationName: 'Organization name',
  name: 'Your name',
  email: 'Email',
  password: 'Password',
};

const messages: Record<Field, string> = {
  setupCode: 'Enter the set-up code from the server log.',
  organizationName: 'Enter your organization’s name (up to 120 characters).',
  name: 'Enter your name (up to 120 characters).',
  email: 'Enter a valid email address, like you@example.com.',
  password: 'Choose a password of at least 12 characters.',
};

/** A wrong set-up code (or too many of them) belongs on the code's field. */
function serverFieldError(error: unknown): FieldErrors<Field> | null {
  if (!isApiError(error)) return null;
  if (error.code === 'invalid_setup_code' || error.code === 'too_many_attempts') {
    return { setupCode: sentence(error.message) };
  }
  return null;
}

/** First run: creates the organization and its Owner, then signs the Owner in. */
export function SetupPage() {
  const setup = useSetup();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<Field, string>>({
    setupCode: '',
    organizationName: '',
    name: '',
    email: '',
    password: '',
  });
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  const field = (key: Field) => ({
    label: labels[key],
    value: values[key],
    error: errors[key],
    required: true,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setValues((current) => ({ ...current, [key]: value }));
      setErrors((current) => ({ ...current, [key]: undefined }));
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = validate(setupBodySchema, values, messages);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setup.mutate(result.data, {
      onSuccess: () => navigate('/targets', { replace: true }),
      onError: (error) => {
        const fieldErrors = apiFieldError(error, labels) ?? serverFieldError(error);
        if (fieldErrors) setErrors(fieldErrors);
      },
    });
  };

  const alreadySetUp = isApiError(setup.error) && setup.error.code === 'already_set_up';
  const showGeneralError =
    setup.error && !alreadySetUp && !apiFieldError(setup.error, labels) && !serverFieldError(setup.error);

  return (
    <AuthLayout
      title="Set up Vulnbridge"
      description="Create your organization and its first account. You will be its Owner and can invite the rest of your team afterwards."
      width={460}
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <TextInput
            {...field('setupCode')}
            description="The server printed it in its log when it started: “enter the set-up code: XXXX-XXXX-XXXX”."
            placeholder="XXXX-XXXX-XXXX"
            autoComplete="one-time-code"
            spellCheck={false}
            autoFocus
          />
          <TextInput {...field('organizationName')} placeholder="Acme Security" />
          <TextInput {...field('name')} placeholder="Ada Lovelace" autoComplete="name" />
          <TextInput {...field('email')} type="email" placeholder="you@example.com" autoComplete="email" />
          <PasswordInput
            {...field('password')}
            description="At least 12 characters, not your email or name, and not a common password. A passphrase of several words works well."
            autoComplete="new-password"
          />
          {alreadySetUp && (
            <Alert color="yellow" title="Vulnbridge is already set up." role="alert">
              Someone created the first account while this page was open.{' '}
              <Anchor
                component={Link}
                to="/sign-in"
                replace
                onClick={() => queryClient.setQueryData(setupKey, { needsSetup: false })}
              >
                Sign in instead
              </Anchor>
              .
            </Alert>
          )}
          {showGeneralError && <ErrorAlert error={setup.error} action="set up Vulnbridge" />}
          <Button type="submit" loading={setup.isPending} fullWidth mt="xs">
            Create organization and sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
