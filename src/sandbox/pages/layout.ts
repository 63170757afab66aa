// Shared bits of the HTML pages: the page frame, browser sessions, the sign-in redirect.
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../http/router.ts';
import { type Reply, escapeHtml, redirect } from '../http/reply.ts';
import type { UserRecord } from '../state/types.ts';

export const SESSION_COOKIE = '_gitlab_session';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function sessionUser(ctx: Ctx): UserRecord | null {
  const sid = ctx.cookies[SESSION_COOKIE];
  const id = sid ? ctx.rt.sessions.get(sid) : undefined;
  return id === undefined ? null : (ctx.rt.store.user(id) ?? null);
}

/** Starts a session; returns the Set-Cookie header value. */
export function startSession(ctx: Ctx, user: UserRecord): string {
  const sid = randomBytes(16).toString('hex');
  ctx.rt.sessions.set(sid, user.id);
  return `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`;
}

export function signInRedirect(ctx: Ctx, returnTo: string): Reply {
  return redirect(`${ctx.rt.url}/users/sign_in?redirect_to=${encodeURIComponent(returnTo)}`);
}

export function page(title: string, body: string, user: UserRecord | null, status = 200): Reply {
  const nav = user
    ? `<nav><a href="/">Projects</a> · <a href="/-/user_settings/applications">Applications</a> · signed in as <strong>${escapeHtml(user.username)}</strong>
       <form method="post" action="/users/sign_out" style="display:inline"><button type="submit">Sign out</button></form></nav>`
    : '<nav><a href="/users/sign_in">Sign in</a></nav>';
  return {
    status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · GitLab sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
nav{margin-bottom:1rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}
.note{border-top:1px solid #ddd;padding:.5rem 0}.system{color:#666;font-size:.9em}
.md code{background:#f0f0f0;border-radius:3px;padding:0 .2em}.md pre code{background:none;padding:0}
.md table{border-collapse:collapse}.md th,.md td{border:1px solid #ddd;padding:.2rem .5rem}
.md blockquote{border-left:3px solid #ccc;margin:.5rem 0;padding-left:.75rem;color:#444}
label{display:block;margin:.5rem 0}</style></head>
<body><header>${nav}</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  };
}
