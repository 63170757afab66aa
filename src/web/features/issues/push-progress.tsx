import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import type { PushSummaryInfo } from '../../../contracts/index.ts';
import { okText } from '../gitlab/index.ts';
import { plural } from './format.ts';

type Counts = PushSummaryInfo['counts'];
type State = keyof Omit<Counts, 'total'>;

/** Each state as a badge: its words and colours (light variants, text at AA contrast). */
export const pushStates: { state: State; label: string; color: string; text?: string }[] = [
  { state: 'created', label: 'Created', color: 'teal', text: okText },
  { state: 'adopted', label: 'Adopted', color: 'blue' },
  { state: 'failed', label: 'Failed', color: 'red' },
  { state: 'waiting', label: 'Waiting for rate limit', color: 'yellow' },
  { state: 'pending', label: 'Pending', color: 'gray' },
];

/** What the push has done so far, in one sentence. */
export function describePush(push: PushSummaryInfo): string {
  const { created, adopted, failed, total, waiting } = push.counts;
  const done = created + adopted + failed;
  if (!push.finished) {
    const wait = waiting ? `; ${plural(waiting, 'finding')} waiting for GitLab’s rate limit` : '';
    return `Creating issues: ${done.toLocaleString('en-GB')} of ${plural(total, 'finding')} done${wait}.`;
  }
  const parts = [`${plural(created, 'issue')} created`];
  if (adopted) parts.push(`${plural(adopted, 'existing issue')} adopted`);
  if (failed) parts.push(`${failed.toLocaleString('en-GB')} failed`);
  const tail = failed ? ' Retry the failed findings below once the cause is fixed.' : '';
  return `Finished: ${parts.join(', ')}.${tail}`;
}

/** The push's progress bar (created + adopted + failed of total) and a badge per state. */
export function PushProgress({ push }: { push: PushSummaryInfo }) {
  const { created, adopted, failed, total } = push.counts;
  const done = created + adopted + failed;
  const percent = (n: number) => (total ? (n / total) * 100 : 100);
  return (
    <Stack gap="sm" data-testid="push-progress">
      <div
        role="progressbar"
        aria-label="Issues pushed"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${done} of ${total} findings done`}
      >
        <Progress.Root size="lg" radius="sm" aria-hidden="true">
          <Progress.Section value={percent(created)} color="teal.7" withAria={false} />
          <Progress.Section value={percent(adopted)} color="blue.6" withAria={false} />
          <Progress.Section value={percent(failed)} color="red.7" withAria={false} />
        </Progress.Root>
      </div>
      <Group justify="space-between" align="center" gap="xs">
        <Group gap={6} wrap="wrap" data-testid="push-counts">
          {pushStates.map(({ state, label, color, text }) => (
            <Badge key={state} color={color} c={text} variant="light" tt="none" radius="sm" data-state={state}>
              {label}: {push.counts[state].toLocaleString('en-GB')}
            </Badge>
          ))}
        </Group>
        <Text size="sm" fw={600}>
          {done.toLocaleString('en-GB')} / {total.toLocaleString('en-GB')}
        </Text>
      </Group>
      <Text size="sm" role="status" aria-live="polite" data-testid="push-status">
        {describePush(push)}
      </Text>
    </Stack>
  );
}
