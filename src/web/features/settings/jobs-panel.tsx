import { Badge, Button, EmptyState, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { JobInfo } from '../../../contracts/index.ts';
import { DataTable, RowAction } from '../../components/data-table.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DateTime } from '../../components/format-date.tsx';
import { PanelIntro } from '../../components/panel-intro.tsx';
import { QueryBody } from '../../components/query-body.tsx';
import { useJobs, useRetryJob } from './use-settings-data.ts';

type State = JobInfo['state'];

const states: { value: State; label: string; empty: string }[] = [
  {
    value: 'dead',
    label: 'Dead',
    empty:
      'Nothing has failed for good. A job that fails every attempt shows here with its last error, ready to retry.',
  },
  { value: 'queued', label: 'Queued', empty: 'Nothing is waiting to run.' },
  { value: 'running', label: 'Running', empty: 'Nothing is running right now.' },
  { value: 'paused', label: 'Paused', empty: 'Jobs pause when a GitLab connection needs to be authorized again.' },
  { value: 'done', label: 'Done', empty: 'Finished jobs show here for a while.' },
];

const stateColors: Record<State, string> = {
  dead: 'red',
  queued: 'blue',
  running: 'indigo',
  paused: 'yellow',
  done: 'teal',
};

export function JobsPanel() {
  const [state, setState] = useState<State>('dead');
  const jobs = useJobs(state);
  const retry = useRetryJob();
  const retryable = state === 'dead';
  const empty = states.find((item) => item.value === state)?.empty ?? 'No jobs.';

  return (
    <Stack gap="md">
      <PanelIntro
        action={
          <Group gap="sm">
            <SegmentedControl
              aria-label="Job state"
              value={state}
              onChange={(value) => setState(value as State)}
              data={states.map(({ value, label }) => ({ value, label }))}
            />
            <Button variant="default" onClick={() => void jobs.refetch()} loading={jobs.isFetching}>
              Refresh
            </Button>
          </Group>
        }
      >
        Background work: GitLab pushes, syncs and imports. Retry a dead job once its cause is fixed.
      </PanelIntro>
      {retry.error != null && <ErrorAlert error={retry.error} action="retry the job" />}
      <QueryBody
        query={jobs}
        noun="the jobs"
        empty={<EmptyState py={40} title={`No ${state} jobs`} description={empty} />}
      >
        {(list) => (
          <DataTable
            minWidth={900}
            columns={['Task', 'State', 'Attempts', 'Next run', 'Last error', 'Updated']}
            actions={retryable}
          >
            {list.map((job) => (
              <Table.Tr key={job.id}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {job.task}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={stateColors[job.state]} variant="light">
                    {job.state}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {job.attempts} of {job.maxAttempts}
                </Table.Td>
                <Table.Td>
                  <DateTime value={job.state === 'dead' || job.state === 'done' ? null : job.runAt} />
                </Table.Td>
                <Table.Td maw={380}>
                  {job.lastError ? (
                    <Text size="xs" ff="monospace" c="red.8" lineClamp={3} title={job.lastError}>
                      {job.lastError}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      None
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <DateTime value={job.updatedAt} />
                </Table.Td>
                {retryable && (
                  <Table.Td ta="right">
                    <RowAction
                      tone="primary"
                      label={`Retry job ${job.task} ${job.id}`}
                      loading={retry.isPending && retry.variables === job.id}
                      onClick={() => retry.mutate(job.id)}
                    >
                      Retry
                    </RowAction>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </QueryBody>
    </Stack>
  );
}
