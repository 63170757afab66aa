import { Badge, Collapse, Group, Paper, Skeleton, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useParams } from 'react-router';
import { canWrite, isAdmin, useCurrentSession } from '../../api/session.ts';
import { BreadcrumbTrail } from '../../components/breadcrumb-trail.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ChevronDownIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { AuthorizeForm, NoInstances } from './authorize-form.tsx';
import { ConnectionSummary } from './connection-summary.tsx';
import { DefaultProject } from './default-project.tsx';
import { ReconnectBanner } from './reconnect-banner.tsx';
import { RedirectNotice } from './redirect-notice.tsx';
import { TokenForm } from './token-form.tsx';
import { useTargetGitlab, useTargetInfo } from './use-gitlab.ts';

/** A target's integration settings: its GitLab connection and default project. */
export function IntegrationPage() {
  const { targetId = '' } = useParams();
  const { role } = useCurrentSession();
  const writable = canWrite(role);
  const target = useTargetInfo(targetId);
  const gitlab = useTargetGitlab(targetId);
  const [tokenOpen, setTokenOpen] = useState(false);
  const targetName = target.data?.name ?? 'Target';

  const crumbs = (
    <BreadcrumbTrail
      links={[
        { label: 'Targets', to: '/targets' },
        { label: targetName, to: `/targets/${encodeURIComponent(targetId)}` },
      ]}
      current="GitLab integration"
    />
  );
  const header = (
    <PageHeader
      title="GitLab integration"
      description={`Connect ${targetName} to GitLab: findings become issues there, and their state and comments stay in sync.`}
    />
  );

  if (gitlab.isPending) {
    return (
      <>
        {crumbs}
        {header}
        <Skeleton height={160} radius="md" aria-label="Loading the GitLab connection" />
      </>
    );
  }
  if (gitlab.isError) {
    return (
      <>
        {crumbs}
        {header}
        <RedirectNotice />
        <ErrorAlert
          error={gitlab.error}
          action="load the GitLab connection"
          onRetry={() => void gitlab.refetch()}
          retrying={gitlab.isFetching}
        />
      </>
    );
  }

  const { connection, defaultProject, instances } = gitlab.data;
  const needsReconnect = connection?.status === 'reconnect_needed';
  const showTokenForm = writable && (!connection || (needsReconnect && connection.authKind === 'access_token'));

  return (
    <>
      {crumbs}
      {header}
      <RedirectNotice />
      <Stack gap="lg">
        <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="gitlab-card-title">
          <Group justify="space-between" mb="md">
            <Title order={2} size="h4" id="gitlab-card-title">
              GitLab
            </Title>
            {!connection && (
              <Badge color="gray" variant="light">
                Not connected
              </Badge>
            )}
          </Group>
          {connection && needsReconnect && (
            <ReconnectBanner targetId={targetId} connection={connection} instances={instances} writable={writable} />
          )}
          {connection ? (
            <ConnectionSummary targetId={targetId} connection={connection} instances={instances} writable={writable} />
          ) : !writable ? (
            <Text size="sm" c="dimmed">
              Not connected. Ask a Contributor, Administrator or Owner to authorize GitLab for this target.
            </Text>
          ) : instances.length === 0 ? (
            <NoInstances admin={isAdmin(role)} />
          ) : (
            <AuthorizeForm targetId={targetId} instances={instances} />
          )}
          {showTokenForm && (
            <Stack gap="sm" mt="lg">
              <UnstyledButton
                onClick={() => setTokenOpen((open) => !open)}
                aria-expanded={tokenOpen}
                aria-controls="gitlab-token-form"
              >
                <Group gap={6}>
                  <Text size="sm" fw={500} c="indigo.8">
                    Use an access token instead
                  </Text>
                  <span style={{ display: 'inline-flex', transform: tokenOpen ? 'rotate(180deg)' : undefined }}>
                    <ChevronDownIcon />
                  </span>
                </Group>
              </UnstyledButton>
              <Collapse expanded={tokenOpen} id="gitlab-token-form">
                <TokenForm targetId={targetId} instances={instances} onDone={() => setTokenOpen(false)} />
              </Collapse>
            </Stack>
          )}
        </Paper>
        <DefaultProject link={defaultProject} />
      </Stack>
    </>
  );
}
