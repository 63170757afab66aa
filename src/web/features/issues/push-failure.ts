// A failed finding's error, for people: the server's message without an HTML error page pasted in,
// and what to do about it, from the HTTP status GitLab answered.

export interface FailureText {
  what: string;
  todo: string;
}

/** Drops an HTML page GitLab (or a proxy in front of it) answered with, keeping its title if it has one. */
export function cleanMessage(message: string): string {
  const html = message.search(/<(?:!doctype|html|head|body)\b/i);
  if (html < 0) return message.trim();
  const title = /<title>([^<]{1,120})<\/title>/i.exec(message)?.[1]?.trim();
  const before = message.slice(0, html).replace(/[:\s]+$/, '');
  return title ? `${before}: ${title}` : `${before} (an HTML error page)`;
}

function todoFor(status: number | null, message: string): string {
  if (status === 400 || status === 422) {
    return 'GitLab did not accept the issue. Check the labels, assignee, milestone and due date in the project, then retry.';
  }
  if (status === 401)
    return 'GitLab refused the connection’s token. Reconnect on the target’s GitLab integration, then retry.';
  if (status === 403)
    return 'The connected GitLab user may not create issues in this project. Give them at least Planner or Reporter access there, then retry.';
  if (status === 404)
    return 'GitLab no longer finds the project (or the chosen milestone or assignee). Choose the project again in GitLab Issues, then retry.';
  if (status === 409)
    return 'GitLab reported a conflict. Retry; Vulnbridge looks for an issue it may already have created before it creates another.';
  if (status !== null && status >= 500) return 'GitLab had a problem on its side. Retry in a moment.';
  if (/network|timed? ?out|reset|ECONN|fetch failed/i.test(message))
    return 'GitLab could not be reached. Check that it is up, then retry.';
  return 'Fix the cause in GitLab if you can, then retry: Vulnbridge never creates a second issue for the same finding.';
}

/** What went wrong with one finding, and what to do next. */
export function describeFailure(error: string | null): FailureText {
  if (!error) return { what: 'GitLab did not create the issue.', todo: todoFor(null, '') };
  const status = /\b(?:answered|status|HTTP)\s+(\d{3})\b/i.exec(error)?.[1];
  return { what: cleanMessage(error), todo: todoFor(status ? Number(status) : null, error) };
}
