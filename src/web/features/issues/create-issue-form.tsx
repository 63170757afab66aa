import { Alert, Button, Group, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../api/describe-error.ts';
import type { ProjectLinkInfo, VulnerabilityInfo } from '../../../contracts/index.ts';
import { PersonAvatar } from './person-avatar.tsx';
import { type CreatePushInput, useProjectOptions } from './use-issues.ts';

interface CreateIssueFormProps {
  scanId: string;
  vulnerability: VulnerabilityInfo;
  project: ProjectLinkInfo;
  submitting: boolean;
  onSubmit: (body: CreatePushInput) => void;
  onCancel: () => void;
  /** An error from the submit, shown above the buttons. */
  error?: React.ReactNode;
}

type Field = 'labels' | 'dueDate';

const MAX_LABELS = 20;

/** Checks the user's labels the way the API will: at most 20, each 1-255 characters, no comma. */
function labelError(labels: string[]): string | null {
  if (labels.length > MAX_LABELS) return `Use at most ${MAX_LABELS} labels of your own.`;
  const long = labels.find((label) => label.length > 255);
  if (long) return `“${long.slice(0, 40)}…” is longer than 255 characters; GitLab labels cannot be.`;
  const comma = labels.find((label) => label.includes(','));
  if (comma) return `“${comma}” contains a comma; GitLab uses commas to separate labels.`;
  return null;
}

/** The Create Issue popup's fields: labels, assignee, milestone, due date, confidential, severity label. */
export function CreateIssueForm(props: CreateIssueFormProps) {
  const { scanId, vulnerability, project, submitting, onSubmit, onCancel, error } = props;
  const options = useProjectOptions(scanId, true);
  const [labels, setLabels] = useState<string[]>([]);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [milestone, setMilestone] = useState<string | null>(null);
  // Until the user edits it, the due date is the organization's SLA default (the server applies it too).
  const [dueDate, setDueDate] = useState<string | null>(null);
  const [confidential, setConfidential] = useState(project.confidentialByDefault);
  const [severityLabel, setSeverityLabel] = useState(true);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const members = options.data?.members ?? [];
  const memberById = new Map(members.map((m) => [String(m.id), m]));
  const count = vulnerability.findingCount;
  const slaDue = options.data?.defaults.dueDates[vulnerability.severity] ?? null;
  const shownDue = dueDate ?? slaDue ?? '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    const labelProblem = labelError(labels);
    if (labelProblem) next.labels = labelProblem;
    if (dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(dueDate))
      next.dueDate = 'Enter the date as YYYY-MM-DD, or leave it empty.';
    setErrors(next);
    if (Object.keys(next).length) return;
    onSubmit({
      vulnerabilityId: vulnerability.id,
      labels,
      assigneeIds: assignee ? [Number(assignee)] : [],
      milestoneId: milestone ? Number(milestone) : null,
      // Omitted while untouched: the server applies the SLA; cleared: no due date.
      ...(dueDate === null ? {} : { dueDate: dueDate || null }),
      confidential,
      severityLabel,
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Create Issue options">
      <Stack gap="md">
        <Text size="sm" data-testid="issue-count">
          One GitLab issue per finding:{' '}
          <strong>
            {count.toLocaleString('en-GB')} {count === 1 ? 'issue' : 'issues'}
          </strong>{' '}
          in <strong style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{project.projectPath}</strong>. Each
          has the finding’s details, its HTTP request and response and a link back to this report.
        </Text>
        <TagsInput
          label="Labels"
          description={
            <>
              Labels of your own, added to every issue. <code>Vulnbridge</code> and the finding’s <code>VB-…</code> ID
              label are always added. Press Enter after each label.
            </>
          }
          placeholder={labels.length ? '' : 'e.g. team::web'}
          value={labels}
          onChange={(value) => {
            setLabels(value);
            setErrors((e) => ({ ...e, labels: undefined }));
          }}
          maxTags={MAX_LABELS}
          clearable
          error={errors.labels}
          data-autofocus
        />
        <Group grow align="flex-start">
          <Select
            label="Assignee"
            description="Optional; a project member"
            placeholder={options.isPending ? 'Loading members…' : 'Nobody'}
            data={members.map((m) => ({ value: String(m.id), label: `${m.name} (@${m.username})` }))}
            value={assignee}
            onChange={setAssignee}
            clearable
            searchable
            nothingFoundMessage="No project member matches"
            disabled={!options.data}
            renderOption={({ option }) => {
              const member = memberById.get(option.value);
              return (
                <Group gap="xs" wrap="nowrap">
                  {member && <PersonAvatar person={member} size={22} />}
                  <Text size="sm">{option.label}</Text>
                </Group>
              );
            }}
            leftSection={
              assignee && memberById.get(assignee) ? (
                <PersonAvatar person={memberById.get(assignee)!} size={20} />
              ) : null
            }
          />
          <Select
            label="Milestone"
            description="Optional"
            placeholder={
              options.isPending
                ? 'Loading milestones…'
                : options.data?.milestones.length
                  ? 'None'
                  : 'The project has none'
            }
            data={(options.data?.milestones ?? []).map((m) => ({ value: String(m.id), label: m.title }))}
            value={milestone}
            onChange={setMilestone}
            clearable
            disabled={!options.data?.milestones.length}
          />
          <TextInput
            label="Due date"
            type="date"
            value={shownDue}
            onChange={(event) => {
              setDueDate(event.currentTarget.value);
              setErrors((e) => ({ ...e, dueDate: undefined }));
            }}
            description={dueDate === null && slaDue ? 'From your SLA for this severity' : 'Optional'}
            error={errors.dueDate}
          />
        </Group>
        {options.isError && (
          <Alert
            color="yellow"
            variant="light"
            title="Could not load the project’s members and milestones"
            role="status"
          >
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Text size="sm">
                {describeError(options.error, 'load them').title} You can still create the issues without an assignee or
                milestone, or try again.
              </Text>
              <Button
                size="xs"
                variant="white"
                color="yellow.9"
                onClick={() => void options.refetch()}
                loading={options.isFetching}
              >
                Try again
              </Button>
            </Group>
          </Alert>
        )}
        <Switch
          label="Confidential"
          description={`${project.confidentialByDefault ? 'On by default' : 'Off by default for this project'}: a finding shows attackers how to break in. Only project members with at least Reporter (or Planner) access and the assignee can see a confidential issue.`}
          checked={confidential}
          onChange={(event) => setConfidential(event.currentTarget.checked)}
        />
        <Switch
          label="Add a severity label"
          description={
            <>
              Adds <code>severity::{vulnerability.severity}</code> to each issue, so the project’s boards can sort by
              it.
            </>
          }
          checked={severityLabel}
          onChange={(event) => setSeverityLabel(event.currentTarget.checked)}
        />
        {error}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" loading={submitting} disabled={count === 0}>
            {count === 1 ? 'Create 1 issue' : `Create ${count.toLocaleString('en-GB')} issues`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
