import { Button, Group, PasswordInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { GitlabInstanceInfo } from '../../../contracts/index.ts';
import { apiFieldError, type FieldErrors } from '../../api/field-errors.ts';
import { instanceOptions } from './authorize-form.tsx';
import { GitlabErrorAlert } from './gitlab-error-alert.tsx';
import { useConnectToken } from './use-gitlab.ts';

type Field = 'instanceId' | 'baseUrl' | 'token';
const labels: Record<Field, string> = { instanceId: 'Instance', baseUrl: 'GitLab URL', token: 'Access token' };

interface TokenFormProps {
  targetId: string;
  instances: GitlabInstanceInfo[];
  onDone?: () => void;
}

/** Connects with a personal or project access token (scope api) instead of OAuth. */
export function TokenForm({ targetId, instances, onDone }: TokenFormProps) {
  const connect = useConnectToken(targetId);
  const [where, setWhere] = useState<'instance' | 'url'>(instances.length ? 'instance' : 'url');
  const [instanceId, setInstanceId] = useState<string | null>(instances[0]?.id ?? null);
  const [baseUrl, setBaseUrl] = useState('');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: FieldErrors<Field> = {};
    if (where === 'instance' && !instanceId) next.instanceId = 'Choose an instance.';
    if (where === 'url' && !/^https?:\/\/\S+$/i.test(baseUrl.trim())) {
      next.baseUrl = 'Enter the GitLab address, like https://gitlab.example.com.';
    }
    if (token.trim().length < 8) next.token = 'Paste the whole token (GitLab tokens start with glpat-).';
    setErrors(next);
    if (Object.keys(next).length) return;
    const body =
      where === 'instance' && instanceId
        ? { instanceId, token: token.trim() }
        : { baseUrl: baseUrl.trim(), token: token.trim() };
    connect.mutate(body, {
      onSuccess: () => {
        setToken('');
        onDone?.();
      },
      onError: (error) => {
        const fieldErrors = apiFieldError(error, labels);
        if (fieldErrors) setErrors(fieldErrors);
      },
    });
  };
  const error = connect.error;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Connect with an access token">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Create a personal or project access token in GitLab with scope <code>api</code>. It is stored encrypted and
          never shown again. Comments posted from Vulnbridge appear as the token’s user.
        </Text>
        {instances.length > 0 && (
          <SegmentedControl
            aria-label="Where the token is from"
            value={where}
            onChange={(value) => setWhere(value as 'instance' | 'url')}
            data={[
              { value: 'instance', label: 'A registered instance' },
              { value: 'url', label: 'Another GitLab URL' },
            ]}
            w="fit-content"
          />
        )}
        <Group align="flex-start" grow>
          {where === 'instance' ? (
            <Select
              label={labels.instanceId}
              data={instanceOptions(instances)}
              value={instanceId}
              onChange={setInstanceId}
              allowDeselect={false}
              error={errors.instanceId}
            />
          ) : (
            <TextInput
              label={labels.baseUrl}
              placeholder="https://gitlab.example.com"
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.currentTarget.value)}
              error={errors.baseUrl}
              required
            />
          )}
          <PasswordInput
            label={labels.token}
            description="Scope: api"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.currentTarget.value)}
            error={errors.token}
            required
          />
        </Group>
        {error != null && apiFieldError(error, labels) === null && (
          <GitlabErrorAlert error={error} action="connect with the token" />
        )}
        <Group justify="flex-end">
          <Button type="submit" variant="light" loading={connect.isPending}>
            Connect with token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
