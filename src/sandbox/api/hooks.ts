// Project hooks (doc/api/project_webhooks.md): CRUD (Maintainer), test, events log, resend.
import { randomUUID } from 'node:crypto';
import { canAdminHooks } from '../auth/permissions.ts';
import { hookEntity } from '../entities/issue.ts';
import { paginate } from '../http/pagination.ts';
import { type Input, bool, has, requiredStr, str } from '../http/params.ts';
import { HttpError, json, notFound } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import type { HookRecord } from '../state/types.ts';
import { recordSecret } from '../ledger.ts';
import { APP_LIMIT_BODY } from '../limits/rate-limiter.ts';
import { issuePayload, notePayload } from '../webhooks/payloads.ts';
import type { HookTrigger } from '../webhooks/dispatcher.ts';
import { currentUser, ensure, loadProject } from './common.ts';

function adminProject(ctx: Ctx) {
  const user = currentUser(ctx);
  const project = loadProject(ctx);
  ensure(canAdminHooks(ctx.rt.store, user, project));
  return { user, project };
}

function loadHook(ctx: Ctx) {
  const { user, project } = adminProject(ctx);
  const hook = ctx.rt.store.data.hooks.find((h) => h.projectId === project.id && h.id === Number(ctx.params.hook_id));
  if (!hook) throw notFound('Hook');
  return { user, project, hook };
}

function checkUrl(url: string): void {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new HttpError(json(422, { message: { url: ['is blocked: Only allowed schemes are http, https'] } }));
  }
}

function applyParams(hook: HookRecord, input: Input): void {
  const flags: [keyof HookRecord, string][] = [
    ['pushEvents', 'push_events'],
    ['issuesEvents', 'issues_events'],
    ['confidentialIssuesEvents', 'confidential_issues_events'],
    ['noteEvents', 'note_events'],
    ['confidentialNoteEvents', 'confidential_note_events'],
    ['mergeRequestsEvents', 'merge_requests_events'],
    ['tagPushEvents', 'tag_push_events'],
    ['enableSslVerification', 'enable_ssl_verification'],
  ];
  for (const [field, param] of flags) {
    const v = bool(input, param);
    if (v !== undefined) (hook as unknown as Record<string, unknown>)[field] = v;
  }
  const name = str(input, 'name');
  if (name !== undefined) hook.name = name;
  const description = str(input, 'description');
  if (description !== undefined) hook.description = description;
  const headers = input.custom_headers;
  if (Array.isArray(headers)) {
    hook.customHeaders = headers.flatMap((h) => {
      const o = h as { key?: unknown; value?: unknown };
      return typeof o?.key === 'string' ? [{ key: o.key, value: String(o.value ?? '') }] : [];
    });
  }
}

function create(ctx: Ctx) {
  const { project } = adminProject(ctx);
  const url = requiredStr(ctx.input, 'url');
  checkUrl(url);
  const store = ctx.rt.store;
  const hook: HookRecord = {
    id: store.nextId('hook'),
    uuid: randomUUID(),
    projectId: project.id,
    url,
    name: '',
    description: '',
    token: str(ctx.input, 'token') ?? '',
    pushEvents: true,
    issuesEvents: false,
    confidentialIssuesEvents: false,
    noteEvents: false,
    confidentialNoteEvents: false,
    mergeRequestsEvents: false,
    tagPushEvents: false,
    enableSslVerification: true,
    customHeaders: [],
    createdAt: store.now(),
    recentFailures: 0,
    backoffCount: 0,
    disabledUntil: null,
    permanentlyDisabled: false,
  };
  applyParams(hook, ctx.input);
  recordSecret('gitlab-webhook-secret', hook.token);
  store.data.hooks.push(hook);
  return json(201, hookEntity(hook, store.now()));
}

function update(ctx: Ctx) {
  const { hook } = loadHook(ctx);
  const url = str(ctx.input, 'url');
  if (url !== undefined) {
    checkUrl(url);
    // The secret token is reset when the URL changes and no new token is given.
    if (url !== hook.url && !has(ctx.input, 'token')) hook.token = '';
    hook.url = url;
  }
  const token = str(ctx.input, 'token');
  if (token !== undefined) hook.token = token;
  recordSecret('gitlab-webhook-secret', token);
  applyParams(hook, ctx.input);
  return json(200, hookEntity(hook, ctx.rt.store.now()));
}

async function test(ctx: Ctx) {
  const { user, project, hook } = loadHook(ctx);
  const trigger = ctx.params.trigger ?? '';
  const store = ctx.rt.store;
  // web_hook_test: 5 a minute, scoped to the project and user (lib/api/hooks/trigger_test.rb).
  if (!ctx.rt.limits.allowFixed(`web_hook_test:${project.id}:${user.id}`, 5)) return json(429, APP_LIMIT_BODY);
  const map: Record<string, HookTrigger> = {
    issues_events: 'issue',
    confidential_issues_events: 'confidential_issue',
    note_events: 'note',
    confidential_note_events: 'confidential_note',
  };
  const kind = map[trigger];
  if (!kind) throw new HttpError(json(400, { error: 'trigger does not have a valid value' }));
  let payload: unknown;
  if (kind === 'issue' || kind === 'confidential_issue') {
    const issue = store.projectIssues(project.id)[0];
    if (!issue) throw new HttpError(json(422, { message: 'Ensure the project has issues.' }));
    payload = issuePayload(store, ctx.rt.url, user, issue, 'open', {});
  } else {
    const note = store.data.notes.find((n) => n.projectId === project.id && !n.system);
    if (!note) throw new HttpError(json(422, { message: 'Ensure the project has notes.' }));
    payload = notePayload(store, ctx.rt.url, user, note, 'create');
  }
  const record = await ctx.rt.hooks.deliverNow(hook, kind, payload);
  const status = Number(record.responseStatus);
  if (status >= 200 && status < 300) return json(201, { message: '201 Created' });
  throw new HttpError(json(422, { message: `Hook execution failed: ${record.responseBody || record.responseStatus}` }));
}

function eventEntity(e: {
  id: number;
  url: string;
  trigger: string;
  requestHeaders: unknown;
  requestData: unknown;
  responseHeaders: unknown;
  responseBody: string;
  executionDuration: number;
  responseStatus: string;
}) {
  return {
    id: e.id,
    url: e.url,
    trigger: e.trigger,
    request_headers: e.requestHeaders,
    request_data: e.requestData,
    response_headers: e.responseHeaders,
    response_body: e.responseBody,
    execution_duration: e.executionDuration,
    response_status: e.responseStatus,
  };
}

function listEvents(ctx: Ctx) {
  const { hook } = loadHook(ctx);
  const status = str(ctx.input, 'status');
  const inRange = (s: string, lo: number, hi: number) => Number(s) >= lo && Number(s) <= hi;
  const events = ctx.rt.store.data.hookEvents
    .filter((e) => e.hookId === hook.id)
    .filter((e) => {
      if (!status) return true;
      if (status === 'successful') return inRange(e.responseStatus, 200, 299);
      if (status === 'client_failure') return inRange(e.responseStatus, 400, 499);
      if (status === 'server_failure')
        return inRange(e.responseStatus, 500, 599) || e.responseStatus === 'internal error';
      return e.responseStatus === status;
    })
    .reverse();
  return paginate(ctx, events, eventEntity);
}

async function resend(ctx: Ctx) {
  const { user, hook } = loadHook(ctx);
  const event = ctx.rt.store.data.hookEvents.find(
    (e) => e.hookId === hook.id && e.id === Number(ctx.params.hook_event_id),
  );
  if (!event) throw notFound('Web hook log');
  if (!ctx.rt.limits.allowFixed(`hook_resend:${hook.id}:${user.id}`, 5)) return json(429, APP_LIMIT_BODY);
  const record = await ctx.rt.hooks.resend(event);
  return json(201, { response_status: Number(record.responseStatus) || record.responseStatus });
}

const base = '/api/v4/projects/:id/hooks';
export const hookRoutes: Route[] = [
  {
    method: 'GET',
    pattern: base,
    auth: 'read',
    handler: (ctx) => {
      const { project } = adminProject(ctx);
      const now = ctx.rt.store.now();
      return paginate(
        ctx,
        ctx.rt.store.data.hooks.filter((h) => h.projectId === project.id),
        (h) => hookEntity(h, now),
      );
    },
  },
  { method: 'POST', pattern: base, auth: 'write', handler: create },
  {
    method: 'GET',
    pattern: `${base}/:hook_id`,
    auth: 'read',
    handler: (ctx) => json(200, hookEntity(loadHook(ctx).hook, ctx.rt.store.now())),
  },
  { method: 'PUT', pattern: `${base}/:hook_id`, auth: 'write', handler: update },
  {
    method: 'DELETE',
    pattern: `${base}/:hook_id`,
    auth: 'write',
    handler: (ctx) => {
      const { hook } = loadHook(ctx);
      ctx.rt.store.data.hooks = ctx.rt.store.data.hooks.filter((h) => h !== hook);
      return { status: 204 };
    },
  },
  { method: 'POST', pattern: `${base}/:hook_id/test/:trigger`, auth: 'write', handler: test },
  { method: 'GET', pattern: `${base}/:hook_id/events`, auth: 'read', handler: listEvents },
  { method: 'POST', pattern: `${base}/:hook_id/events/:hook_event_id/resend`, auth: 'write', handler: resend },
];
