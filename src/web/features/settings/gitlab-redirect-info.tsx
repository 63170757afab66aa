import { Button, Code, CopyButton, Group, Paper, Stack, Text } from '@mantine/core';
import type { GitlabInstanceInfo } from '../../../contracts/index.ts';

export const CALLBACK_PATH = '/api/integrations/gitlab/oauth/callback';

/**
 * What to register in GitLab's OAuth application: the server says the redirect URI with each instance
 * (from its PUBLIC_URL); before any instance exists, it is worked out from this page's address.
 */
export function GitlabRedirectInfo({ instances }: { instances: GitlabInstanceInfo[] }) {
  const fromServer = instances[0]?.redirectUri;
  const redirectUri = fromServer ?? `${window.location.origin}${CALLBACK_PATH}`;
  return (
    <Paper withBorder radius="md" p="md" bg="gray.0">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          Register Vulnbridge in GitLab first
        </Text>
        <Text size="sm">
          In GitLab, open Admin → Applications (or a group’s or your user’s Applications) and add an application,
          confidential, with exactly this redirect URI and scope:
        </Text>
        <Group gap="sm" wrap="nowrap" align="center">
          <Text size="sm" w={96} fw={500}>
            Redirect URI
          </Text>
          <Code data-testid="gitlab-redirect-uri" style={{ flex: 1, wordBreak: 'break-all' }}>
            {redirectUri}
          </Code>
          <CopyButton value={redirectUri}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant={copied ? 'filled' : 'light'}
                color={copied ? 'teal' : undefined}
                onClick={copy}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Group gap="sm" wrap="nowrap" align="center">
          <Text size="sm" w={96} fw={500}>
            Scope
          </Text>
          <Code data-testid="gitlab-scope">api</Code>
        </Group>
        {!fromServer && (
          <Text size="xs" c="dimmed">
            Worked out from this page’s address, as no instance exists yet to ask the server. If people reach Vulnbridge
            at another address, the server’s PUBLIC_URL decides; the list below shows the exact value once an instance
            is added.
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Then copy the application’s ID and secret into the form.
        </Text>
      </Stack>
    </Paper>
  );
}
