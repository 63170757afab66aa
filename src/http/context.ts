import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Env } from '../config/index.ts';
import type { SecretBox } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import type { TokenProvider } from '../gitlab/index.ts';

/** What every route can reach. */
export interface AppContext {
  db: Db;
  env: Env;
  secretBox: SecretBox;
  /** The SSRF-guarded fetch for GitLab, and the token provider over it. */
  gitlab: { fetch: typeof fetch; tokens: TokenProvider };
  /** Called after a change that enqueued jobs, so an in-process worker picks them up at once. */
  onJobsEnqueued?: () => void;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type RouteModule = (app: App, context: AppContext) => void;
