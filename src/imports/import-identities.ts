// Finding identities for an import: (target, fingerprint) → identity id and public ID, created when new.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { publicId } from '../findings/index.ts';

export const MAX_PUBLIC_ID_ATTEMPTS = 20;
const POOL_IDS = 4096;

/**
 * Ids in the format of db/ids.ts newId (12 hex digits of milliseconds, then 16 random hex digits),
 * drawing the random part from a pool: one randomBytes call per id costs ~1 s per 200,000 ids.
 */
export class IdPool {
  private pool = Buffer.alloc(0);
  private at = 0;

  next(): string {
    if (this.at + 8 > this.pool.length) {
      this.pool = randomBytes(8 * POOL_IDS);
      this.at = 0;
    }
    const random = this.pool.toString('hex', this.at, this.at + 8);
    this.at += 8;
    return Date.now().toString(16).padStart(12, '0') + random;
  }
}

export interface IdentityScope {
  organizationId: string;
  targetId: string;
  scanId: string;
  ids: IdPool;
  /** false when the target had no identity before this import: the first round skips the lookup. */
  lookup: boolean;
}

export interface Identity {
  id: string;
  publicId: string;
}

/**
 * The identity of each fingerprint (distinct fingerprints, at most a few hundred per call): the known
 * ones are read, the others created with a public ID; a public ID already taken by another identity
 * leaves its row out, and that fingerprint is retried with the next attempt's public ID.
 */
export async function resolveIdentities(
  trx: Transaction<Database>,
  scope: IdentityScope,
  fingerprints: string[],
): Promise<Map<string, Identity>> {
  const found = new Map<string, Identity>();
  let todo = fingerprints;
  for (let attempt = 0; todo.length > 0; attempt++) {
    if (attempt >= MAX_PUBLIC_ID_ATTEMPTS) throw new Error('could not allocate unique public IDs');
    if (scope.lookup || attempt > 0) {
      const known = await trx
        .selectFrom('finding_identities')
        .select(['id', 'fingerprint', 'public_id'])
        .where('target_id', '=', scope.targetId)
        .where('fingerprint', 'in', todo)
        .execute();
      for (const row of known) found.set(row.fingerprint, { id: row.id, publicId: row.public_id });
    }
    const missing = todo.filter((fp) => !found.has(fp));
    if (missing.length === 0) break;
    const now = new Date().toISOString();
    const rows = missing.map((fp) => ({
      id: scope.ids.next(),
      organization_id: scope.organizationId,
      target_id: scope.targetId,
      fingerprint: fp,
      public_id: publicId(scope.targetId, fp, attempt),
      first_scan_id: scope.scanId,
      created_at: now,
    }));
    const byFingerprint = new Map(rows.map((r) => [r.fingerprint, r]));
    const inserted = await trx
      .insertInto('finding_identities')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning('fingerprint')
      .execute();
    for (const { fingerprint } of inserted) {
      const row = byFingerprint.get(fingerprint);
      if (row) found.set(fingerprint, { id: row.id, publicId: row.public_id });
    }
    // Left out: another import created the identity meanwhile (read on the next round), or the public ID clashed.
    todo = missing.filter((fp) => !found.has(fp));
  }
  return found;
}
