// Saving the project a scan's issues go to (remembered as the target's default): check the connected
// user's access there and say what it allows, make sure the product label exists, and register a
// project webhook when the user may (Maintainer), else sync by polling and say why. Nothing is saved
// unless every step that must succeed did.
import type { Kysely } from 'kysely';
import { type Env, publicUrl } from '../config/index.ts';
import { randomToken, type SecretBox } from '../crypto/index.ts';
import { type Database, type GitlabConnection, newId, nowIso, type ProjectLink } from '../db/index.ts';
import { DomainError } from '../lib/index.ts';
import { recordAudit } from '../services/index.ts';
import type { GitlabClient } from './client.ts';
import { GitlabError } from './errors.ts';
import { MAINTAINER, PLANNER } from './projects.ts';

export const ACCESS_NAMES: Record<number, string> = {
  0: 'no access',
  5: 'Minimal access',
  10: 'Guest',
  15: 'Planner',
  20: 'Reporter',
  30: 'Developer',
  40: 'Maintainer',
  50: 'Owner',
};
export const accessName = (level: number) => ACCESS_NAMES[level] ?? `access level ${level}`;

export const webhookUrl = (env: Env, hookRef: string) => `${publicUrl(env)}/webhooks/gitlab/${hookRef}`;

export interface LinkResult {
  link: ProjectLink;
  accessLevel: number;
  labelCreated: boolean;
  messages: string[];
}

async function ensureLabel(client: GitlabClient, projectId: number, name: string): Promise<boolean> {
  const existing = await client.labels(projectId, name);
  if (existing.some((l) => l.name === name)) return false;
  try {
    await client.createLabel(projectId, {
      name,
      color: '#6d28d9',
      description: 'Security finding tracked by Vulnbridge',
    });
    return true;
  } catch (error) {
    if (error instanceof GitlabError && error.failure === 'conflict') return false;
    throw error;
  }
}

export async function linkProject(
  deps: { db: Kysely<Database>; env: Env; box: SecretBox },
  client: GitlabClient,
  input: {
    connection: GitlabConnection;
    scanId: string | null;
    projectId: number;
    actorUserId: string | null;
    confidentialByDefault?: boolean;
  },
): Promise<LinkResult> {
  const { db, env, box } = deps;
  const { connection } = input;
  let project: Awaited<ReturnType<GitlabClient['project']>>;
  try {
    project = await client.project(input.projectId);
  } catch (error) {
    if (error instanceof GitlabError && error.failure === 'not_found')
      throw new DomainError(
        'not_found',
        `GitLab project ${input.projectId} does not exist or @${connection.gitlab_username} cannot see it`,
      );
    throw error;
  }
  const accessLevel = await client.accessLevel(project.id, {
    id: connection.gitlab_user_id,
    username: connection.gitlab_username,
  });
  if (accessLevel < PLANNER) {
    throw new DomainError(
      'forbidden',
      `@${connection.gitlab_username} is ${accessName(accessLevel)} in ${project.path_with_namespace}; creating issues with labels needs Planner or Reporter or higher. Ask a Maintainer of the project for that role, or pick another project.`,
    );
  }
  const messages = [
    `@${connection.gitlab_username} is ${accessName(accessLevel)} in ${project.path_with_namespace}: issues and labels can be created.`,
  ];
  const labelCreated = await ensureLabel(client, project.id, env.PRODUCT_LABEL);
  if (labelCreated) messages.push(`Created the label "${env.PRODUCT_LABEL}" in the project.`);

  const existingHook = await db
    .selectFrom('project_links')
    .selectAll()
    .where('organization_id', '=', connection.organization_id)
    .where('target_id', '=', connection.target_id)
    .where('project_id', '=', project.id)
    .where('hook_id', 'is not', null)
    .executeTakeFirst();
  const linkId = newId();
  let hook: { id: number; secretEnc: string; ref: string; created: boolean } | null =
    existingHook?.hook_id && existingHook.hook_secret_enc && existingHook.hook_ref
      ? {
          id: Number(existingHook.hook_id),
          secretEnc: existingHook.hook_secret_enc,
          ref: existingHook.hook_ref,
          created: false,
        }
      : null;
  let syncReason: string | null = null;
  if (!hook && accessLevel >= MAINTAINER) {
    const secret = randomToken(32);
    const created = await client.createHook(project.id, { url: webhookUrl(env, linkId), token: secret });
    hook = { id: created.id, secretEnc: box.seal(secret, `hook:${linkId}`), ref: linkId, created: true };
    messages.push(
      'Registered a project webhook: GitLab will tell Vulnbridge about issue changes and comments as they happen.',
    );
  } else if (!hook) {
    syncReason = `Webhooks need the Maintainer role and @${connection.gitlab_username} is ${accessName(accessLevel)}; Vulnbridge will poll the project for changes instead (a few minutes of delay).`;
    messages.push(syncReason);
  }

  try {
    const link = await db.transaction().execute(async (trx) => {
      const now = nowIso();
      const values = {
        organization_id: connection.organization_id,
        target_id: connection.target_id,
        connection_id: connection.id,
        project_id: project.id,
        project_path: project.path_with_namespace,
        project_web_url: project.web_url,
        access_level: accessLevel,
        hook_id: hook?.id ?? null,
        hook_secret_enc: hook?.secretEnc ?? null,
        hook_ref: hook?.ref ?? null,
        sync_mode: hook ? ('webhook' as const) : ('polling' as const),
        sync_reason: syncReason,
        confidential_default: input.confidentialByDefault === false ? 0 : 1,
        reconciled_until: null,
        updated_at: now,
      };
      // One link per scan (and the target's default, scan_id null): replace what was there.
      for (const scanId of input.scanId ? [input.scanId, null] : [null]) {
        let del = trx
          .deleteFrom('project_links')
          .where('organization_id', '=', connection.organization_id)
          .where('target_id', '=', connection.target_id);
        del = scanId === null ? del.where('scan_id', 'is', null) : del.where('scan_id', '=', scanId);
        await del.execute();
        await trx
          .insertInto('project_links')
          .values({ id: scanId === input.scanId ? linkId : newId(), scan_id: scanId, created_at: now, ...values })
          .execute();
      }
      await recordAudit(trx, {
        organizationId: connection.organization_id,
        actorUserId: input.actorUserId,
        action: 'gitlab.project_linked',
        subjectType: input.scanId ? 'scan' : 'target',
        subjectId: input.scanId ?? connection.target_id,
        details: { project: project.path_with_namespace, syncMode: values.sync_mode },
      });
      return trx.selectFrom('project_links').selectAll().where('id', '=', linkId).executeTakeFirstOrThrow();
    });
    return { link, accessLevel, labelCreated, messages };
  } catch (error) {
    if (hook?.created) await client.deleteHook(project.id, hook.id).catch(() => undefined);
    throw error;
  }
}

export async function findProjectLink(
  db: Kysely<Database>,
  organizationId: string,
  targetId: string,
  scanId: string | null,
): Promise<ProjectLink | null> {
  if (scanId) {
    const forScan = await db
      .selectFrom('project_links')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('scan_id', '=', scanId)
      .executeTakeFirst();
    if (forScan) return forScan;
  }
  return (
    (await db
      .selectFrom('project_links')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('target_id', '=', targetId)
      .where('scan_id', 'is', null)
      .executeTakeFirst()) ?? null
  );
}
