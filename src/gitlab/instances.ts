// GitLab instances a connection can use: gitlab.com when the operator configured its OAuth application,
// and the self-managed instances an Administrator added to the organization.
import type { Kysely } from 'kysely';
import { type Env, publicUrl } from '../config/index.ts';
import type { SecretBox } from '../crypto/index.ts';
import { type Database, newId, nowIso } from '../db/index.ts';
import { DomainError, notFound } from '../lib/index.ts';
import type { OAuthApp } from './oauth.ts';
import { checkInstanceUrl, parseAllowedHosts } from './ssrf.ts';

export const GITLAB_COM_ID = 'gitlab.com';
export const CALLBACK_PATH = '/api/integrations/gitlab/oauth/callback';

export interface InstanceInfo {
  id: string;
  name: string;
  baseUrl: string;
  kind: 'gitlab.com' | 'self-managed';
  redirectUri: string;
  scope: 'api';
}

export interface ResolvedInstance extends InstanceInfo {
  clientId: string;
  clientSecret: string;
}

export const redirectUriOf = (env: Env) => `${publicUrl(env)}${CALLBACK_PATH}`;

export function toOAuthApp(instance: ResolvedInstance): OAuthApp {
  return {
    baseUrl: instance.baseUrl,
    clientId: instance.clientId,
    clientSecret: instance.clientSecret,
    redirectUri: instance.redirectUri,
  };
}

export async function listInstances(db: Kysely<Database>, env: Env, organizationId: string): Promise<InstanceInfo[]> {
  const redirectUri = redirectUriOf(env);
  const rows = await db
    .selectFrom('gitlab_instances')
    .select(['id', 'name', 'base_url'])
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .execute();
  const list: InstanceInfo[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    baseUrl: r.base_url,
    kind: 'self-managed',
    redirectUri,
    scope: 'api',
  }));
  if (env.GITLAB_COM_CLIENT_ID && env.GITLAB_COM_CLIENT_SECRET) {
    list.unshift({
      id: GITLAB_COM_ID,
      name: 'GitLab.com',
      baseUrl: env.GITLAB_COM_URL.replace(/\/+$/, ''),
      kind: 'gitlab.com',
      redirectUri,
      scope: 'api',
    });
  }
  return list;
}

export async function resolveInstance(
  db: Kysely<Database>,
  env: Env,
  box: SecretBox,
  organizationId: string,
  id: string,
): Promise<ResolvedInstance> {
  const redirectUri = redirectUriOf(env);
  if (id === GITLAB_COM_ID) {
    if (!env.GITLAB_COM_CLIENT_ID || !env.GITLAB_COM_CLIENT_SECRET)
      throw new DomainError(
        'invalid_request',
        'gitlab.com is not configured (GITLAB_COM_CLIENT_ID and GITLAB_COM_CLIENT_SECRET)',
      );
    return {
      id,
      name: 'GitLab.com',
      baseUrl: env.GITLAB_COM_URL.replace(/\/+$/, ''),
      kind: 'gitlab.com',
      redirectUri,
      scope: 'api',
      clientId: env.GITLAB_COM_CLIENT_ID,
      clientSecret: env.GITLAB_COM_CLIENT_SECRET,
    };
  }
  const row = await db
    .selectFrom('gitlab_instances')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('GitLab instance');
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    kind: 'self-managed',
    redirectUri,
    scope: 'api',
    clientId: row.client_id,
    clientSecret: box.open(row.client_secret_enc, `instance:${row.id}`),
  };
}

export async function addInstance(
  db: Kysely<Database>,
  env: Env,
  box: SecretBox,
  organizationId: string,
  input: { name: string; baseUrl: string; clientId: string; clientSecret: string },
): Promise<InstanceInfo> {
  const baseUrl = checkInstanceUrl(input.baseUrl, parseAllowedHosts(env.GITLAB_ALLOWED_HOSTS));
  const clash = await db
    .selectFrom('gitlab_instances')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('base_url', '=', baseUrl)
    .executeTakeFirst();
  if (clash) throw new DomainError('conflict', `${baseUrl} is already registered`);
  const id = newId();
  await db
    .insertInto('gitlab_instances')
    .values({
      id,
      organization_id: organizationId,
      name: input.name,
      base_url: baseUrl,
      client_id: input.clientId,
      client_secret_enc: box.seal(input.clientSecret, `instance:${id}`),
      created_at: nowIso(),
    })
    .execute();
  return { id, name: input.name, baseUrl, kind: 'self-managed', redirectUri: redirectUriOf(env), scope: 'api' };
}

export async function removeInstance(db: Kysely<Database>, organizationId: string, id: string): Promise<void> {
  const inUse = await db
    .selectFrom('gitlab_connections')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('instance_id', '=', id)
    .executeTakeFirst();
  if (inUse)
    throw new DomainError('conflict', 'targets are still connected through this instance; disconnect them first');
  const result = await db
    .deleteFrom('gitlab_instances')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) throw notFound('GitLab instance');
}
