// Scans: read scan reports back (the import itself is src/imports).
import type { Kysely } from 'kysely';
import { type Database, type FindingRow, type Scan, type VulnerabilityRow } from '../db/index.ts';
import { notFound } from '../lib/index.ts';

export async function getScanRow(db: Kysely<Database>, organizationId: string, scanId: string): Promise<Scan> {
  const scan = await db
    .selectFrom('scans')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', scanId)
    .executeTakeFirst();
  if (!scan) throw notFound('scan');
  return scan;
}

export async function listScanRows(db: Kysely<Database>, organizationId: string, targetId?: string): Promise<Scan[]> {
  let query = db.selectFrom('scans').selectAll().where('organization_id', '=', organizationId);
  if (targetId) query = query.where('target_id', '=', targetId);
  return query.orderBy('imported_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

export async function listVulnerabilityRows(
  db: Kysely<Database>,
  organizationId: string,
  scanId: string,
): Promise<VulnerabilityRow[]> {
  return db
    .selectFrom('vulnerabilities')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('scan_id', '=', scanId)
    .orderBy('position')
    .execute();
}

export async function listFindingRows(
  db: Kysely<Database>,
  organizationId: string,
  where: { scanId?: string; vulnerabilityId?: string },
  page: { offset: number; limit: number },
): Promise<FindingRow[]> {
  let query = db.selectFrom('findings').selectAll().where('organization_id', '=', organizationId);
  if (where.scanId) query = query.where('scan_id', '=', where.scanId);
  if (where.vulnerabilityId) query = query.where('vulnerability_id', '=', where.vulnerabilityId);
  return query.orderBy('vulnerability_id').orderBy('position').offset(page.offset).limit(page.limit).execute();
}

/** A vulnerability of the organization, with its finding count; not found otherwise. */
export async function getVulnerabilityRow(db: Kysely<Database>, organizationId: string, vulnerabilityId: string) {
  const vulnerability = await db
    .selectFrom('vulnerabilities')
    .select(['id', 'finding_count'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', vulnerabilityId)
    .executeTakeFirst();
  if (!vulnerability) throw notFound('vulnerability');
  return vulnerability;
}
