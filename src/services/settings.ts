// Organization settings: the per-severity SLA (days until due) that gives new issues a default due date.
import type { Kysely } from 'kysely';
import type { SeverityName } from '../contracts/index.ts';
import { type Database, nowIso } from '../db/index.ts';
import { recordAudit } from './audit.ts';

export type SlaDays = Record<SeverityName, number | null>;

/** Common remediation windows (critical a week, high a month, medium a quarter, low half a year). */
export const DEFAULT_SLA_DAYS: SlaDays = { critical: 7, high: 30, medium: 90, low: 180, info: null };

export async function getSlaDays(db: Kysely<Database>, organizationId: string): Promise<SlaDays> {
  const row = await db
    .selectFrom('organization_settings')
    .select('sla_days')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return row ? { ...DEFAULT_SLA_DAYS, ...(JSON.parse(row.sla_days) as Partial<SlaDays>) } : DEFAULT_SLA_DAYS;
}

export async function setSlaDays(
  db: Kysely<Database>,
  organizationId: string,
  actorUserId: string,
  slaDays: SlaDays,
): Promise<SlaDays> {
  const value = JSON.stringify(slaDays);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organization_settings')
      .values({ organization_id: organizationId, sla_days: value, updated_at: nowIso() })
      .onConflict((oc) => oc.column('organization_id').doUpdateSet({ sla_days: value, updated_at: nowIso() }))
      .execute();
    await recordAudit(trx, { organizationId, actorUserId, action: 'settings.sla_changed', details: { slaDays } });
  });
  return slaDays;
}

/** The due date an SLA gives a finding of this severity found today (UTC), or null. */
export function dueDateFor(slaDays: SlaDays, severity: SeverityName, today = new Date()): string | null {
  const days = slaDays[severity];
  if (days === null || days === undefined) return null;
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days))
    .toISOString()
    .slice(0, 10);
}
