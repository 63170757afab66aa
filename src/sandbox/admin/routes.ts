// The admin API under /-/sandbox/ (never faulted, never rate limited, no token): lets a test or a
// person script the sandbox at run time.
import { str } from '../http/params.ts';
import { HttpError, json } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import { RATE_LIMIT_PROFILES, type RateLimitProfile } from '../limits/rate-limiter.ts';
import type { FaultRule } from '../faults/faults.ts';
import type { SandboxAdmin } from './admin.ts';

function bad(message: string): HttpError {
  return new HttpError(json(400, { error: message }));
}

export function adminRoutes(admin: SandboxAdmin): Route[] {
  const r = (method: string, pattern: string, handler: (ctx: Ctx) => unknown): Route => ({
    method,
    pattern: `/-/sandbox${pattern}`,
    auth: 'none',
    handler: async (ctx) => {
      try {
        return json(200, (await handler(ctx)) ?? { ok: true });
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw bad((error as Error).message);
      }
    },
  });
  return [
    r('GET', '/info', (ctx) => ({ url: ctx.rt.url, ...ctx.rt.info, rateLimits: ctx.rt.limits.profile })),
    r('GET', '/faults', () => admin.faults()),
    r('PUT', '/faults', (ctx) => {
      const spec = str(ctx.input, 'spec');
      const rules = ctx.input.rules as FaultRule[] | undefined;
      const latency = ctx.input.latency_ms ?? ctx.input.latencyMs;
      if (latency !== undefined && typeof latency !== 'number') throw bad('latency_ms must be a number');
      try {
        admin.setFaults(spec ?? rules ?? [], latency);
      } catch (e) {
        throw bad((e as Error).message);
      }
      return admin.faults();
    }),
    r('POST', '/faults', (ctx) => {
      admin.addFault(ctx.input as unknown as FaultRule);
      return admin.faults();
    }),
    r('DELETE', '/faults', () => {
      admin.clearFaults();
      return admin.faults();
    }),
    r('PUT', '/rate-limits', (ctx) => {
      const profile = str(ctx.input, 'profile') as RateLimitProfile;
      if (!RATE_LIMIT_PROFILES.includes(profile)) throw bad(`profile must be one of ${RATE_LIMIT_PROFILES.join(', ')}`);
      admin.setRateLimits(profile);
      return { profile };
    }),
    r('POST', '/clock/advance', (ctx) => {
      const ms = Number(ctx.input.ms);
      if (!Number.isFinite(ms)) throw bad('ms must be a number');
      admin.advanceClock(ms);
      return { offsetMs: ctx.rt.store.clock.offsetMs };
    }),
    r('POST', '/tokens/expire', (ctx) => ({ found: admin.expireToken(str(ctx.input, 'token') ?? '') })),
    r('POST', '/tokens/revoke', (ctx) => ({ found: admin.revokeToken(str(ctx.input, 'token') ?? '') })),
    r('POST', '/tokens', (ctx) => {
      const scopes = Array.isArray(ctx.input.scopes) ? (ctx.input.scopes as string[]) : ['api'];
      return { token: admin.createToken(str(ctx.input, 'username') ?? '', scopes) };
    }),
    r('POST', '/grants/revoke', (ctx) => ({
      revoked: admin.revokeGrant(str(ctx.input, 'username') ?? '', str(ctx.input, 'client_id')),
    })),
    r('GET', '/users/:username/authorized-applications', (ctx) =>
      admin.authorizedApplications(ctx.params.username ?? ''),
    ),
    r('POST', '/hooks/:hook_id/disable', (ctx) => {
      const mode = str(ctx.input, 'mode') === 'permanent' ? 'permanent' : 'temporary';
      admin.disableHook(Number(ctx.params.hook_id), mode);
      return { ok: true };
    }),
    r('GET', '/hook-events', () => admin.hookEvents()),
    r('POST', '/idle', async () => {
      await admin.idle();
      return { ok: true };
    }),
    r('GET', '/users/:username/todos', (ctx) => admin.todos(ctx.params.username ?? '')),
    r('GET', '/references', () => admin.references()),
    r('POST', '/save', async (ctx) => {
      const file = str(ctx.input, 'file');
      if (!file) throw bad('file is missing');
      await admin.save(file);
      return { saved: file };
    }),
  ];
}
