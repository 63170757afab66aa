// The Fastify application: security headers, body limits, cookies, rate limits, the zod contracts,
// OpenAPI at /api/docs, access control, the route table, and the built web app.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createGitlabDeps } from '../gitlab/index.ts';
import type { Logger } from '../lib/index.ts';
import { withAuditContext } from './audit-context.ts';
import { registerAccessControl } from './auth/access.ts';
import { registerGitlabWebhooks } from './routes/webhooks/post-gitlab-webhook.ts';
import type { App, AppContext } from './context.ts';
import { errorHandler } from './errors.ts';
import { registerRequestLog } from './request-log.ts';
import { routes } from './routes/index.ts';

export interface BuildAppOptions extends Omit<AppContext, 'gitlab'> {
  /** Shared with the worker of the same process; by default built here over the SSRF-guarded fetch. */
  gitlab?: AppContext['gitlab'];
  logger: Logger;
  /** Folder of the built web app; defaults to dist/web. */
  webDir?: string;
  bodyLimit?: number;
}

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
    requestIdHeader: false,
    // registerRequestLog writes one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  registerRequestLog(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: options.env.PUBLIC_URL?.startsWith('https:') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, {
    limits: { fileSize: options.env.MAX_REPORT_BYTES, files: 1, fields: 10, fieldSize: 1024 },
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Vulnbridge API',
        version: '0.1.0',
        description:
          'Errors are `{error:{code,message}}`. Authenticate with the session cookie (+ X-CSRF-Token on writes) or `Authorization: Bearer vbt_…`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const context: AppContext = {
    db: options.db,
    env: options.env,
    secretBox: options.secretBox,
    gitlab: options.gitlab ?? createGitlabDeps(options.db, options.env, options.secretBox),
    ...(options.onJobsEnqueued ? { onJobsEnqueued: options.onJobsEnqueued } : {}),
  };
  registerAccessControl(app, options.db);
  // After authentication (onRequest), around the handler: who acted and from where, for recordAudit.
  app.addHook('preHandler', withAuditContext);
  for (const route of routes) route(app, context);
  registerGitlabWebhooks(app, context);

  await registerWeb(app, options.webDir ?? resolve('dist/web'));
  return app;
}

async function registerWeb(app: App, webDir: string): Promise<void> {
  const built = existsSync(join(webDir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api' || request.method !== 'GET') {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
    }
    if (!built) {
      return reply
        .status(503)
        .type('text/plain')
        .send('The web app is not built. Run `npm run build` (or `npm start`, which builds it).');
    }
    // Client-side routes: serve the app shell.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
