// GET/POST /oauth/authorize (sign-in, consent, auto-approve), the sign-in page, and
// User Settings > Applications (authorized applications, revocable).
import { randomBytes } from 'node:crypto';
import { type Input, str } from '../http/params.ts';
import { type Reply, escapeHtml, redirect } from '../http/reply.ts';
import { recordSecret } from '../ledger.ts';
import type { Ctx, Route } from '../http/router.ts';
import { page, sessionUser, signInRedirect, startSession } from '../pages/layout.ts';
import type { OAuthAppRecord, UserRecord } from '../state/types.ts';

const DEFAULT_SCOPES = ['api'];

interface PreAuth {
  app: OAuthAppRecord;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  challenge: string | null;
  method: 'plain' | 'S256' | null;
}

function errorPage(ctx: Ctx, error: string, description: string): Reply {
  return page(
    'An error has occurred',
    `<p><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>`,
    sessionUser(ctx),
    400,
  );
}

function redirectError(
  pre: { redirectUri: string; state: string | undefined },
  error: string,
  description: string,
): Reply {
  const u = new URL(pre.redirectUri);
  u.searchParams.set('error', error);
  u.searchParams.set('error_description', description);
  if (pre.state !== undefined) u.searchParams.set('state', pre.state);
  return redirect(u.toString());
}

/** Doorkeeper's pre-authorization checks; a Reply when the request cannot go on. */
function preAuthorize(ctx: Ctx, input: Input): PreAuth | Reply {
  const app = ctx.rt.store.data.oauthApps.find((a) => a.uid === str(input, 'client_id'));
  if (!app) {
    return errorPage(
      ctx,
      'invalid_client',
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    );
  }
  const redirectUri = str(input, 'redirect_uri') ?? (app.redirectUris.length === 1 ? app.redirectUris[0] : undefined);
  if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
    return errorPage(
      ctx,
      'invalid_redirect_uri',
      "The requested redirect uri is malformed or doesn't match client redirect URI.",
    );
  }
  const state = str(input, 'state');
  const base = { redirectUri, state };
  if (str(input, 'response_type') !== 'code') {
    return redirectError(
      base,
      'unsupported_response_type',
      'The authorization server does not support this response type.',
    );
  }
  const scopeParam = str(input, 'scope');
  const scopes = scopeParam ? scopeParam.split(/[\s+]+/).filter(Boolean) : DEFAULT_SCOPES;
  if (scopes.some((s) => !app.scopes.includes(s))) {
    return redirectError(base, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
  }
  const challenge = str(input, 'code_challenge') ?? null;
  const rawMethod = str(input, 'code_challenge_method');
  let method: 'plain' | 'S256' | null = null;
  if (challenge) {
    if (rawMethod !== undefined && rawMethod !== 'plain' && rawMethod !== 'S256') {
      return redirectError(base, 'invalid_request', 'The code challenge method must be plain or S256.');
    }
    method = rawMethod === 'S256' ? 'S256' : 'plain';
  }
  return { app, redirectUri, state, scopes, challenge, method };
}

function approve(ctx: Ctx, pre: PreAuth, user: UserRecord, extraHeaders: Record<string, string> = {}): Reply {
  const code = randomBytes(32).toString('hex');
  recordSecret('gitlab-authorization-code', code);
  ctx.rt.store.data.oauthGrants.push({
    code,
    appId: pre.app.id,
    userId: user.id,
    redirectUri: pre.redirectUri,
    scopes: pre.scopes,
    codeChallenge: pre.challenge,
    codeChallengeMethod: pre.method,
    createdAt: ctx.rt.store.now(),
    used: false,
  });
  const u = new URL(pre.redirectUri);
  u.searchParams.set('code', code);
  if (pre.state !== undefined) u.searchParams.set('state', pre.state);
  return redirect(u.toString(), extraHeaders);
}

/** A confidential app the user already authorized for these scopes is approved without asking. */
function alreadyAuthorized(ctx: Ctx, pre: PreAuth, user: UserRecord): boolean {
  const now = ctx.rt.store.now();
  return (
    pre.app.confidential &&
    ctx.rt.store.data.oauthTokens.some(
      (t) =>
        t.appId === pre.app.id &&
        t.userId === user.id &&
        t.revokedAt === null &&
        t.createdAt + t.expiresIn * 1000 > now &&
        pre.scopes.every((s) => t.scopes.includes(s)),
    )
  );
}

function authorizeGet(ctx: Ctx): Reply {
  const pre = preAuthorize(ctx, ctx.input);
  if (!('app' in pre)) return pre;
  let user = sessionUser(ctx);
  const auto = ctx.rt.options.autoApprove;
  if (auto) {
    const autoUser = user ?? ctx.rt.store.userByName(auto);
    if (autoUser) return approve(ctx, pre, autoUser, user ? {} : { 'set-cookie': startSession(ctx, autoUser) });
  }
  if (!user)
    return signInRedirect(ctx, `${ctx.rt.url}${ctx.path}?${new URLSearchParams(ctx.input as Record<string, string>)}`);
  user = user as UserRecord;
  if (alreadyAuthorized(ctx, pre, user)) return approve(ctx, pre, user);
  const hidden = [
    'client_id',
    'redirect_uri',
    'state',
    'response_type',
    'scope',
    'code_challenge',
    'code_challenge_method',
  ]
    .map((k) => [k, str(ctx.input, k)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v ?? '')}">`)
    .join('');
  const body = `<p>An application called <strong>${escapeHtml(pre.app.name)}</strong> is requesting access to your GitLab account.</p>
<p>This application will be able to:</p><ul>${pre.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<form method="post" action="/oauth/authorize">${hidden}
<button type="submit" name="decision" value="approve">Authorize ${escapeHtml(pre.app.name)}</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`;
  return page(`Authorize ${pre.app.name} to use your account?`, body, user);
}

function authorizePost(ctx: Ctx): Reply {
  const user = sessionUser(ctx);
  if (!user) return signInRedirect(ctx, `${ctx.rt.url}/`);
  const pre = preAuthorize(ctx, ctx.input);
  if (!('app' in pre)) return pre;
  if (str(ctx.input, 'decision') === 'deny' || ctx.method === 'DELETE') {
    return redirectError(pre, 'access_denied', 'The resource owner or authorization server denied the request.');
  }
  return approve(ctx, pre, user);
}

function signInPage(ctx: Ctx, message = ''): Reply {
  const to = str(ctx.input, 'redirect_to') ?? '/';
  return page(
    'Sign in',
    `${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/users/sign_in"><input type="hidden" name="redirect_to" value="${escapeHtml(to)}">
<label>Username or primary email <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`,
    null,
  );
}

function signIn(ctx: Ctx): Reply {
  const login = str(ctx.input, 'username') ?? '';
  const user = ctx.rt.store.userByName(login) ?? ctx.rt.store.data.users.find((u) => u.email === login);
  if (!user || user.password !== str(ctx.input, 'password')) return signInPage(ctx, 'Invalid login or password.');
  const to = str(ctx.input, 'redirect_to') ?? '/';
  const safe = to.startsWith('/') || to.startsWith(ctx.rt.url) ? to : '/';
  return redirect(safe, { 'set-cookie': startSession(ctx, user) });
}

function applicationsPage(ctx: Ctx): Reply {
  const user = sessionUser(ctx);
  if (!user) return signInRedirect(ctx, `${ctx.rt.url}/-/user_settings/applications`);
  const rows = authorizedApplications(ctx, user.id)
    .map(
      (
        a,
      ) => `<tr><td>${escapeHtml(a.name)}</td><td>${escapeHtml(new Date(a.authorizedAt).toISOString())}</td><td>${escapeHtml(a.scopes.join(', '))}</td>
<td><form method="post" action="/oauth/authorized_applications/${a.id}/revoke"><button type="submit">Revoke</button></form></td></tr>`,
    )
    .join('');
  return page(
    'Applications',
    `<h2>Authorized applications</h2>${rows ? `<table><thead><tr><th>Name</th><th>Authorized at</th><th>Scope</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : "<p>You don't have any authorized applications.</p>"}`,
    user,
  );
}

export function authorizedApplications(ctx: Pick<Ctx, 'rt'>, userId: number) {
  const store = ctx.rt.store;
  return store.data.oauthApps.flatMap((app) => {
    const tokens = store.data.oauthTokens.filter(
      (t) => t.appId === app.id && t.userId === userId && t.revokedAt === null,
    );
    if (tokens.length === 0) return [];
    return [
      {
        id: app.id,
        name: app.name,
        uid: app.uid,
        scopes: [...new Set(tokens.flatMap((t) => t.scopes))],
        authorizedAt: Math.min(...tokens.map((t) => t.createdAt)),
      },
    ];
  });
}

/** Revokes every token and unused grant of the app for the user (Revoke in Applications). */
export function revokeAuthorization(ctx: Pick<Ctx, 'rt'>, userId: number, appId: number): number {
  const now = ctx.rt.store.now();
  let count = 0;
  for (const t of ctx.rt.store.data.oauthTokens) {
    if (t.appId === appId && t.userId === userId && t.revokedAt === null) {
      t.revokedAt = now;
      count += 1;
    }
  }
  for (const g of ctx.rt.store.data.oauthGrants) if (g.appId === appId && g.userId === userId) g.used = true;
  return count;
}

function revokeApp(ctx: Ctx): Reply {
  const user = sessionUser(ctx);
  if (!user) return signInRedirect(ctx, `${ctx.rt.url}/-/user_settings/applications`);
  revokeAuthorization(ctx, user.id, Number(ctx.params.app_id));
  return redirect('/-/user_settings/applications');
}

export const authorizeRoutes: Route[] = [
  { method: 'GET', pattern: '/oauth/authorize', auth: 'session', handler: authorizeGet },
  { method: 'POST', pattern: '/oauth/authorize', auth: 'session', handler: authorizePost },
  { method: 'DELETE', pattern: '/oauth/authorize', auth: 'session', handler: authorizePost },
  { method: 'GET', pattern: '/users/sign_in', auth: 'session', handler: (ctx) => signInPage(ctx) },
  { method: 'POST', pattern: '/users/sign_in', auth: 'session', handler: signIn },
  {
    method: 'POST',
    pattern: '/users/sign_out',
    auth: 'session',
    handler: (ctx) => {
      const sid = ctx.cookies._gitlab_session;
      if (sid) ctx.rt.sessions.delete(sid);
      return redirect('/users/sign_in', { 'set-cookie': '_gitlab_session=; Path=/; Max-Age=0' });
    },
  },
  { method: 'GET', pattern: '/-/user_settings/applications', auth: 'session', handler: applicationsPage },
  { method: 'POST', pattern: '/oauth/authorized_applications/:app_id/revoke', auth: 'session', handler: revokeApp },
  { method: 'DELETE', pattern: '/oauth/authorized_applications/:app_id', auth: 'session', handler: revokeApp },
];
