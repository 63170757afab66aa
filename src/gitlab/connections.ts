// A target's GitLab connection: the GitLab user and their tokens, sealed at rest (AES-256-GCM, bound to
// the connection id), its status, and the transitions that pause and resume its jobs.
import type { Kysely } from 'kysely';
import type { SecretBox } from '../crypto/index.ts';
import { type Database, type GitlabConnection, newId, nowIso } from '../db/index.ts';
import { pauseGroup, resumeGroup } from '../jobs/index.ts';
import { recordAudit } from '../services/index.ts';
import type { GitlabUser } from './client.ts';
import type { TokenSet } from './oauth.ts';

/** Jobs that need a target's GitLab connection share this group: they pause while it needs reconnecting
 * (or is disconnected) and resume when it is connected again, whatever the connection's id. */
export const connectionGroupKey = (targetId: string) => `gitlab-target:${targetId}`;
const aad = (connectionId: string, kind: 'access' | 'refresh') => `connection:${connectionId}:${kind}`;

export function openAccessToken(box: SecretBox, row: GitlabConnection): string {
  return box.open(row.access_token_enc, aad(row.id, 'access'));
}

export function openRefreshToken(box: SecretBox, row: GitlabConnection): string | null {
  return row.refresh_token_enc ? box.open(row.refresh_token_enc, aad(row.id, 'refresh')) : null;
}

export function sealTokens(box: SecretBox, connectionId: string, tokens: TokenSet) {
  return {
    access_token_enc: box.seal(tokens.accessToken, aad(connectionId, 'access')),
    refresh_token_enc: tokens.refreshToken ? box.seal(tokens.refreshToken, aad(connectionId, 'refresh')) : null,
    expires_at: tokens.expiresAt?.toISOString() ?? null,
  };
}

export async function findConnection(
  db: Kysely<Database>,
  organizationId: string,
  targetId: string,
): Promise<GitlabConnection | null> {
  return (
    (await db
      .selectFrom('gitlab_connections')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('target_id', '=', targetId)
      .executeTakeFirst()) ?? null
  );
}

export async function loadConnection(db: Kysely<Database>, id: string): Promise<GitlabConnection | null> {
  return (await db.selectFrom('gitlab_connections').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export interface SaveConnectionInput {
  organizationId: string;
  targetId: string;
  instanceId: string;
  baseUrl: string;
  authKind: 'oauth' | 'access_token';
  user: GitlabUser;
  tokens: TokenSet;
  connectedBy: string | null;
}

/** Store (or replace, on reconnect) a target's connection; jobs paused for it resume. */
export async function saveConnection(
  db: Kysely<Database>,
  box: SecretBox,
  input: SaveConnectionInput,
): Promise<GitlabConnection> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('gitlab_connections')
      .selectAll()
      .where('organization_id', '=', input.organizationId)
      .where('target_id', '=', input.targetId)
      .executeTakeFirst();
    const now = nowIso();
    const id = existing?.id ?? newId();
    const values = {
      instance_id: input.instanceId,
      base_url: input.baseUrl,
      auth_kind: input.authKind,
      gitlab_user_id: input.user.id,
      gitlab_username: input.user.username,
      gitlab_name: input.user.name,
      gitlab_avatar_url: input.user.avatar_url ?? null,
      ...sealTokens(box, id, input.tokens),
      refreshing_until: null,
      status: 'connected' as const,
      status_reason: null,
      connected_by: input.connectedBy,
      updated_at: now,
    };
    if (existing) {
      await trx
        .updateTable('gitlab_connections')
        .set({ ...values, token_version: Number(existing.token_version) + 1 })
        .where('id', '=', id)
        .execute();
    } else {
      await trx
        .insertInto('gitlab_connections')
        .values({
          id,
          organization_id: input.organizationId,
          target_id: input.targetId,
          token_version: 1,
          created_at: now,
          ...values,
        })
        .execute();
    }
    await resumeGroup(trx, connectionGroupKey(input.targetId));
    await recordAudit(trx, {
      organizationId: input.organizationId,
      actorUserId: input.connectedBy,
      action: existing ? 'gitlab.reconnected' : 'gitlab.connected',
      subjectType: 'target',
      subjectId: input.targetId,
      details: { instance: input.baseUrl, gitlabUser: input.user.username, kind: input.authKind },
    });
    return trx.selectFrom('gitlab_connections').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  });
}

/** The connection cannot be used until a person reconnects it: its jobs pause (they do not fail). */
export async function markReconnectNeeded(db: Kysely<Database>, connectionId: string, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('gitlab_connections')
      .select(['organization_id', 'target_id', 'status'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!row) return;
    await trx
      .updateTable('gitlab_connections')
      .set({
        status: 'reconnect_needed',
        status_reason: reason.slice(0, 500),
        refreshing_until: null,
        updated_at: nowIso(),
      })
      .where('id', '=', connectionId)
      .execute();
    await pauseGroup(trx, connectionGroupKey(row.target_id));
    if (row.status !== 'reconnect_needed') {
      await recordAudit(trx, {
        organizationId: row.organization_id,
        actorUserId: null,
        action: 'gitlab.reconnect_needed',
        subjectType: 'target',
        subjectId: row.target_id,
        details: { reason },
      });
    }
  });
}

export async function deleteConnection(
  db: Kysely<Database>,
  organizationId: string,
  connectionId: string,
  actorUserId: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('gitlab_connections')
      .select(['target_id'])
      .where('organization_id', '=', organizationId)
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!row) return;
    // Work waiting for GitLab is kept, paused, until the target is connected again.
    await pauseGroup(trx, connectionGroupKey(row.target_id));
    await trx.deleteFrom('gitlab_connections').where('id', '=', connectionId).execute();
    await recordAudit(trx, {
      organizationId,
      actorUserId,
      action: 'gitlab.disconnected',
      subjectType: 'target',
      subjectId: row.target_id,
    });
  });
}
