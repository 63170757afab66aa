// The door of http: the Fastify app with every route, for the composition root (cli).
export { type BuildAppOptions, buildApp } from './app.ts';
