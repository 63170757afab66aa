// HTML pages for people and browser tests: projects, a project's issues, one issue with its notes,
// and forms to comment, close/reopen and assign. Changes go through the same services as the API,
// so they run quick actions and fire webhooks.
import { canReadIssue, canReadProject, canSetMetadata, canUpdateIssue } from '../auth/permissions.ts';
import { str } from '../http/params.ts';
import { HttpError, type Reply, escapeHtml, redirect } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import { updateIssue } from '../services/issues.ts';
import { createNote } from '../services/notes.ts';
import type { IssueRecord, ProjectRecord, UserRecord } from '../state/types.ts';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { page, sessionUser, signInRedirect } from './layout.ts';

/**
 * GitLab Markdown as a person sees it on the page: CommonMark + GFM, raw HTML shown as text (GitLab
 * sanitises it; the sandbox shows it escaped), dangerous link protocols dropped. A trailing HTML comment
 * (the hidden marker an integration leaves, which GitLab does not show) is left out. References are not
 * turned into links here; the API and the sandbox's admin views record what they would do.
 */
function markdown(text: string): string {
  const shown = text.replace(/\n*<!--[^\n]*-->\s*$/, '');
  return micromark(shown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

function notFoundPage(user: UserRecord | null): HttpError {
  return new HttpError({
    ...page('Page not found', "<p>The page could not be found or you don't have permission to view it.</p>", user, 404),
  });
}

function withUser(ctx: Ctx, run: (user: UserRecord) => Reply): Reply {
  const user = sessionUser(ctx);
  if (!user) return signInRedirect(ctx, `${ctx.rt.url}${ctx.path}`);
  return run(user);
}

function projectOf(ctx: Ctx, user: UserRecord): ProjectRecord {
  const p = ctx.rt.store.projectByPath(ctx.params.project ?? '');
  if (!p || !canReadProject(ctx.rt.store, user, p)) throw notFoundPage(user);
  return p;
}

function issueOf(ctx: Ctx, user: UserRecord, p: ProjectRecord): IssueRecord {
  const issue = ctx.rt.store.issueByIid(p.id, Number(ctx.params.iid));
  if (!issue || !canReadIssue(ctx.rt.store, user, issue, p)) throw notFoundPage(user);
  return issue;
}

function home(ctx: Ctx): Reply {
  return withUser(ctx, (user) => {
    const store = ctx.rt.store;
    const projects = store.data.projects.filter((p) => store.projectAccess(user.id, p) >= 10).slice(0, 300);
    const items = projects
      .map(
        (p) =>
          `<li><a href="/${escapeHtml(store.projectFullPath(p))}/-/issues">${escapeHtml(store.projectFullPath(p))}</a></li>`,
      )
      .join('');
    return page('Projects', `<ul>${items}</ul>`, user);
  });
}

function issueList(ctx: Ctx): Reply {
  return withUser(ctx, (user) => {
    const store = ctx.rt.store;
    const p = projectOf(ctx, user);
    const state = str(ctx.input, 'state') ?? 'opened';
    const issues = store
      .projectIssues(p.id)
      .filter((i) => canReadIssue(store, user, i, p) && (state === 'all' || i.state === state))
      .sort((a, b) => b.id - a.id);
    const full = store.projectFullPath(p);
    const rows = issues
      .map((i) => {
        const labels = i.labelIds.map((id) => store.label(id)?.name ?? '').join(', ');
        return `<tr><td>#${i.iid}</td><td><a href="/${escapeHtml(full)}/-/issues/${i.iid}">${escapeHtml(i.title)}</a></td><td>${i.state}</td><td>${escapeHtml(labels)}</td></tr>`;
      })
      .join('');
    const tabs = ['opened', 'closed', 'all']
      .map((s) => `<a href="?state=${s}">${s === 'opened' ? 'Open' : s === 'closed' ? 'Closed' : 'All'}</a>`)
      .join(' · ');
    return page(
      `Issues · ${full}`,
      `<p>${tabs}</p><table><thead><tr><th>#</th><th>Title</th><th>State</th><th>Labels</th></tr></thead><tbody>${rows}</tbody></table>`,
      user,
    );
  });
}

function issueView(ctx: Ctx): Reply {
  return withUser(ctx, (user) => {
    const store = ctx.rt.store;
    const p = projectOf(ctx, user);
    const issue = issueOf(ctx, user, p);
    const full = store.projectFullPath(p);
    const action = `/${escapeHtml(full)}/-/issues/${issue.iid}`;
    const author = store.user(issue.authorId);
    const assignees = issue.assigneeIds.map((id) => `@${store.user(id)?.username ?? id}`).join(', ') || 'None';
    const labels = issue.labelIds.map((id) => store.label(id)?.name ?? '').join(', ') || 'None';
    const notes = store
      .issueNotes(issue.id)
      .filter((n) => !n.internal || canSetMetadata(store, user, p))
      .map((n) => {
        const a = store.user(n.authorId);
        const cls = n.system ? 'note system' : 'note';
        return `<div class="${cls}" id="note_${n.id}"><strong>${escapeHtml(a?.name ?? '')}</strong> @${escapeHtml(a?.username ?? '')}${n.internal ? ' (internal)' : ''}${n.system ? `<pre>${escapeHtml(n.body)}</pre>` : `<div class="md">${markdown(n.body)}</div>`}</div>`;
      })
      .join('');
    const canUpdate = canUpdateIssue(store, user, issue, p);
    const stateForm = canUpdate
      ? `<form method="post" action="${action}/state"><input type="hidden" name="state_event" value="${issue.state === 'opened' ? 'close' : 'reopen'}"><button type="submit">${issue.state === 'opened' ? 'Close issue' : 'Reopen issue'}</button></form>`
      : '';
    const assignForm = canSetMetadata(store, user, p)
      ? `<form method="post" action="${action}/assign"><label>Assignee username <input name="assignee" value=""></label><button type="submit">Assign</button></form>`
      : '';
    const body = `<p><strong>${issue.state === 'opened' ? 'Open' : 'Closed'}</strong> · Issue #${issue.iid} created by ${escapeHtml(author?.name ?? '')}</p>
<p>Assignees: <span data-testid="assignees">${escapeHtml(assignees)}</span> · Labels: ${escapeHtml(labels)}${issue.confidential ? ' · Confidential' : ''}</p>
<div class="md" data-testid="description">${markdown(issue.description)}</div>${stateForm}${assignForm}
<h2>Activity</h2>${notes}
<form method="post" action="${action}/notes"><label>Comment <textarea name="body" rows="4" cols="60" required></textarea></label><button type="submit">Comment</button></form>`;
    return page(issue.title, body, user);
  });
}

function postNote(ctx: Ctx): Reply {
  return withUser(ctx, (user) => {
    const p = projectOf(ctx, user);
    const issue = issueOf(ctx, user, p);
    createNote(ctx.rt, user, p, issue, str(ctx.input, 'body') ?? '', false);
    return redirect(`/${ctx.rt.store.projectFullPath(p)}/-/issues/${issue.iid}`);
  });
}

function postState(ctx: Ctx): Reply {
  return withUser(ctx, (user) => {
    const p = projectOf(ctx, user);
    const issue = issueOf(ctx, user, p);
    if (!canUpdateIssue(ctx.rt.store, user, issue, p)) throw notFoundPage(user);
    const ev = str(ctx.input, 'state_event');
    if (ev === 'close' || ev === 'reopen') updateIssue(ctx.rt, user, p, issue, { stateEvent: ev });
    return redirect(`/${ctx.rt.store.projectFullPath(p)}/-/issues/${issue.iid}`);
  });
}

function postAssign(ctx: Ctx): Reply {
  return withUser(ctx, (user) => {
    const p = projectOf(ctx, user);
    const issue = issueOf(ctx, user, p);
    const name = (str(ctx.input, 'assignee') ?? '').replace(/^@/, '').trim();
    const target = name ? ctx.rt.store.userByName(name) : undefined;
    updateIssue(ctx.rt, user, p, issue, { assigneeIds: target ? [target.id] : [] });
    return redirect(`/${ctx.rt.store.projectFullPath(p)}/-/issues/${issue.iid}`);
  });
}

/** Registered last: `*project` swallows any path. */
export const issuePageRoutes: Route[] = [
  { method: 'GET', pattern: '/', auth: 'session', handler: home },
  { method: 'GET', pattern: '/*project/-/issues', auth: 'session', handler: issueList },
  { method: 'GET', pattern: '/*project/-/issues/:iid', auth: 'session', handler: issueView },
  { method: 'POST', pattern: '/*project/-/issues/:iid/notes', auth: 'session', handler: postNote },
  { method: 'POST', pattern: '/*project/-/issues/:iid/state', auth: 'session', handler: postState },
  { method: 'POST', pattern: '/*project/-/issues/:iid/assign', auth: 'session', handler: postAssign },
  {
    method: 'GET',
    pattern: '/*project',
    auth: 'session',
    handler: (ctx) =>
      withUser(ctx, (user) => redirect(`/${ctx.rt.store.projectFullPath(projectOf(ctx, user))}/-/issues`)),
  },
];
