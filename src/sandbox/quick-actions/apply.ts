// Turns extracted quick actions into issue changes, with GitLab's availability conditions:
// close/reopen need update rights on a persisted issue in the right state; the metadata commands
// need Planner or above. Unknown labels and milestones are not created by commands.
import { canSetMetadata, canUpdateIssue } from '../auth/permissions.ts';
import type { Store } from '../state/store.ts';
import type { IssueRecord, ProjectRecord, UserRecord } from '../state/types.ts';
import {
  type CommandName,
  extractCommands,
  parseDueDate,
  parseLabelArgs,
  parseMilestoneArg,
  parseUserArgs,
} from './extract.ts';

export interface IssueChanges {
  title?: string;
  description?: string;
  stateEvent?: 'close' | 'reopen';
  labels?: string[];
  addLabels?: string[];
  removeLabels?: string[];
  assigneeIds?: number[];
  milestoneId?: number | null;
  dueDate?: string | null;
  confidential?: boolean;
  discussionLocked?: boolean;
}

export interface QuickActionResult {
  text: string;
  changes: IssueChanges;
  commandsChanges: Record<string, unknown>;
  summary: string[];
  executed: number;
}

export function runQuickActions(
  store: Store,
  actor: UserRecord,
  project: ProjectRecord,
  issue: IssueRecord | null,
  text: string,
): QuickActionResult {
  const meta = canSetMetadata(store, actor, project);
  const update = issue ? canUpdateIssue(store, actor, issue, project) : true;
  const available = (name: CommandName): boolean => {
    switch (name) {
      case 'close':
        return issue !== null && issue.state === 'opened' && update;
      case 'reopen':
        return issue !== null && issue.state === 'closed' && update;
      case 'title':
        return issue !== null && update;
      case 'confidential':
        return meta && !(issue?.confidential ?? false);
      case 'unassign':
        return meta && (issue?.assigneeIds.length ?? 0) > 0;
      case 'unlabel':
      case 'remove_label':
        return meta && (issue?.labelIds.length ?? 0) > 0;
      case 'remove_milestone':
        return meta && (issue?.milestoneId ?? null) !== null;
      case 'remove_due_date':
        return meta && (issue?.dueDate ?? null) !== null;
      case 'milestone':
        return meta && store.data.milestones.some((m) => m.projectId === project.id && m.state === 'active');
      case 'lock':
        return issue !== null && meta && !issue.discussionLocked;
      case 'unlock':
        return issue !== null && meta && !!issue.discussionLocked;
      default:
        return meta;
    }
  };
  const extracted = extractCommands(text, available);
  const changes: IssueChanges = {};
  const cc: Record<string, unknown> = {};
  const summary: string[] = [];
  for (const { name, arg } of extracted.commands) {
    if (name === 'close') {
      changes.stateEvent = 'close';
      cc.state_event = 'close';
      summary.push('Closed this issue.');
    } else if (name === 'reopen') {
      changes.stateEvent = 'reopen';
      cc.state_event = 'reopen';
      summary.push('Reopened this issue.');
    } else if (name === 'title' && arg) {
      changes.title = arg;
      cc.title = arg;
      summary.push(`Changed the title to "${arg}".`);
    } else if (name === 'assign') {
      const names = parseUserArgs(arg).map((n) => (n === 'me' ? actor.username : n));
      const users = names.flatMap((n) => {
        const u = store.userByName(n);
        return u ? [u] : [];
      });
      // GitLab Free keeps one assignee: the first one named.
      const first = users[0];
      if (first) {
        changes.assigneeIds = [first.id];
        cc.assignee_ids = [first.id];
        summary.push(`Assigned @${first.username}.`);
      }
    } else if (name === 'unassign') {
      changes.assigneeIds = [];
      cc.assignee_ids = [];
      summary.push('Removed assignee.');
    } else if (name === 'label' || name === 'labels') {
      const found = parseLabelArgs(arg).flatMap((n) => {
        const l = store.labelByName(project.id, n);
        return l ? [l] : [];
      });
      if (found.length > 0) {
        changes.addLabels = [...(changes.addLabels ?? []), ...found.map((l) => l.name)];
        cc.add_label_ids = [...((cc.add_label_ids as number[]) ?? []), ...found.map((l) => l.id)];
        summary.push(`Added ${found.map((l) => `~"${l.name}"`).join(' ')} label${found.length > 1 ? 's' : ''}.`);
      }
    } else if (name === 'unlabel' || name === 'remove_label') {
      const names = parseLabelArgs(arg);
      const ids =
        names.length === 0 ? (issue?.labelIds ?? []) : names.flatMap((n) => store.labelByName(project.id, n)?.id ?? []);
      const labels = ids.flatMap((id) => store.label(id) ?? []);
      changes.removeLabels = [...(changes.removeLabels ?? []), ...labels.map((l) => l.name)];
      cc.remove_label_ids = ids;
      summary.push(
        names.length === 0 ? 'Removed all labels.' : `Removed ${labels.map((l) => `~"${l.name}"`).join(' ')} label.`,
      );
    } else if (name === 'relabel') {
      const found = parseLabelArgs(arg).flatMap((n) => store.labelByName(project.id, n) ?? []);
      changes.labels = found.map((l) => l.name);
      cc.label_ids = found.map((l) => l.id);
      summary.push('Replaced all labels.');
    } else if (name === 'confidential') {
      changes.confidential = true;
      cc.confidential = true;
      summary.push('Made this issue confidential.');
    } else if (name === 'due') {
      const date = parseDueDate(arg, store.now());
      if (date) {
        changes.dueDate = date;
        cc.due_date = date;
        summary.push(`Set the due date to ${date}.`);
      }
    } else if (name === 'remove_due_date') {
      changes.dueDate = null;
      cc.due_date = null;
      summary.push('Removed the due date.');
    } else if (name === 'milestone') {
      const title = parseMilestoneArg(arg);
      const m = store.data.milestones.find((x) => x.projectId === project.id && x.title === title);
      if (m) {
        changes.milestoneId = m.id;
        cc.milestone_id = m.id;
        summary.push(`Set the milestone to %"${m.title}".`);
      }
    } else if (name === 'remove_milestone') {
      changes.milestoneId = null;
      cc.milestone_id = null;
      summary.push('Removed the milestone.');
    } else if (name === 'lock' || name === 'unlock') {
      changes.discussionLocked = name === 'lock';
      cc.discussion_locked = name === 'lock';
      summary.push(name === 'lock' ? 'Locked the discussion.' : 'Unlocked the discussion.');
    }
  }
  return { text: extracted.text, changes, commandsChanges: cc, summary, executed: extracted.commands.length };
}
