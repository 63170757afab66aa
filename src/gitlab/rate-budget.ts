// A request budget shared by every process that talks to GitLab as one user: a fixed one-minute window
// counted in the database with conditional updates (no read-then-write race), plus a "blocked until"
// that a 429 sets for everyone.
import type { ExpressionBuilder, Kysely } from 'kysely';
import { type Database, nowIso } from '../db/index.ts';

const WINDOW_MS = 60_000;

export type BudgetDecision = { ok: true } | { ok: false; retryAt: Date };

export async function takeBudget(db: Kysely<Database>, key: string, perMinute: number): Promise<BudgetDecision> {
  // Two rounds: a concurrent taker may create or reset the window between our conditional updates.
  for (let round = 0; round < 2; round++) {
    const decision = await tryTake(db, key, perMinute);
    if (decision !== null) return decision;
  }
  const row = await db.selectFrom('rate_budgets').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return { ok: false, retryAt: new Date(Date.now() + 100) };
  const windowEnd = Date.parse(row.window_started_at) + WINDOW_MS;
  const blocked = row.blocked_until ? Date.parse(row.blocked_until) : 0;
  // Only a spent window waits for its end; a 429's block alone (Retry-After: 1) waits for the block.
  const spent = Number(row.used) >= perMinute && windowEnd > Date.now();
  return { ok: false, retryAt: new Date(Math.max(spent ? windowEnd : 0, blocked, Date.now() + 50)) };
}

/** One attempt: ok, or null when nothing matched (the caller tries again or reads why). */
async function tryTake(db: Kysely<Database>, key: string, perMinute: number): Promise<BudgetDecision | null> {
  const now = nowIso();
  const windowFloor = nowIso(-WINDOW_MS);
  const notBlocked = (eb: ExpressionBuilder<Database, 'rate_budgets'>) =>
    eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]);
  const inWindow = await db
    .updateTable('rate_budgets')
    .set((eb) => ({ used: eb('used', '+', 1) }))
    .where('key', '=', key)
    .where('window_started_at', '>', windowFloor)
    .where('used', '<', perMinute)
    .where(notBlocked)
    .executeTakeFirst();
  if (Number(inWindow.numUpdatedRows) === 1) return { ok: true };
  const fresh = await db
    .updateTable('rate_budgets')
    .set({ used: 1, window_started_at: now, blocked_until: null })
    .where('key', '=', key)
    .where('window_started_at', '<=', windowFloor)
    .where(notBlocked)
    .executeTakeFirst();
  if (Number(fresh.numUpdatedRows) === 1) return { ok: true };
  const inserted = await db
    .insertInto('rate_budgets')
    .values({ key, window_started_at: now, used: 1, blocked_until: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted ? { ok: true } : null;
}

/** GitLab said 429: nobody spends this budget until `until`. */
export async function blockBudget(db: Kysely<Database>, key: string, until: Date): Promise<void> {
  const value = until.toISOString();
  await db
    .insertInto('rate_budgets')
    .values({ key, window_started_at: nowIso(), used: 0, blocked_until: value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ blocked_until: value }))
    .execute();
}
