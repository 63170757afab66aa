// Targets: the web applications that scans are about. Every query is scoped to one organization.
import type { Kysely } from 'kysely';
import type { CreateTargetBody, TargetInfo } from '../contracts/index.ts';
import { type Database, newId, nowIso, type Target } from '../db/index.ts';
import { DomainError, notFound } from '../lib/index.ts';
import { recordAudit } from './audit.ts';

export interface Actor {
  organizationId: string;
  userId: string | null;
}

export const toTargetInfo = (row: Target): TargetInfo => ({
  id: row.id,
  name: row.name,
  baseUrl: row.base_url,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function listTargets(db: Kysely<Database>, organizationId: string): Promise<TargetInfo[]> {
  const rows = await db
    .selectFrom('targets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toTargetInfo);
}

export async function getTarget(db: Kysely<Database>, organizationId: string, id: string): Promise<TargetInfo> {
  const row = await db
    .selectFrom('targets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('target');
  return toTargetInfo(row);
}

export async function createTarget(db: Kysely<Database>, actor: Actor, input: CreateTargetBody): Promise<TargetInfo> {
  return db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('targets')
      .select('id')
      .where('organization_id', '=', actor.organizationId)
      .where('base_url', '=', input.baseUrl)
      .executeTakeFirst();
    if (clash) throw new DomainError('conflict', `a target with the base URL ${input.baseUrl} already exists`);
    const now = nowIso();
    const row: Target = {
      id: newId(),
      organization_id: actor.organizationId,
      name: input.name,
      base_url: input.baseUrl,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('targets').values(row).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'target.created',
      subjectType: 'target',
      subjectId: row.id,
      details: { name: row.name, baseUrl: row.base_url },
    });
    return toTargetInfo(row);
  });
}

export async function renameTarget(db: Kysely<Database>, actor: Actor, id: string, name: string): Promise<TargetInfo> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const result = await trx
      .updateTable('targets')
      .set({ name, updated_at: now })
      .where('organization_id', '=', actor.organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw notFound('target');
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'target.renamed',
      subjectType: 'target',
      subjectId: id,
      details: { name },
    });
    const row = await trx.selectFrom('targets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toTargetInfo(row);
  });
}

/** Delete a target; its scans (and everything under them) go with it through ON DELETE CASCADE. */
export async function deleteTarget(db: Kysely<Database>, actor: Actor, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('targets')
      .where('organization_id', '=', actor.organizationId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) throw notFound('target');
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'target.deleted',
      subjectType: 'target',
      subjectId: id,
    });
  });
}
