// Sign-in attempts are throttled per (email, client address) in the database, so every web process
// shares the count: after 5 failures in 15 minutes each further failure blocks for twice as long as the
// last (30 s, 1 min, 2 min … up to 15 min). A success clears the count.
import type { Kysely } from 'kysely';
import { sha256 } from '../../crypto/index.ts';
import type { Database } from '../../db/index.ts';
import { DomainError } from '../../lib/index.ts';

const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_BLOCK_MS = 15 * 60_000;

const keyOf = (email: string, ip: string) => sha256(`${email.toLowerCase()}|${ip}`);

/** `email` names what is tried (the set-up page passes its own key); `what` names it in the message. */
export async function assertNotThrottled(
  db: Kysely<Database>,
  email: string,
  ip: string,
  what = 'sign-in',
): Promise<void> {
  const row = await db.selectFrom('login_throttle').selectAll().where('key', '=', keyOf(email, ip)).executeTakeFirst();
  if (row?.blocked_until && Date.parse(row.blocked_until) > Date.now()) {
    const seconds = Math.ceil((Date.parse(row.blocked_until) - Date.now()) / 1000);
    throw new DomainError('too_many_attempts', `too many failed ${what} attempts; try again in ${seconds} seconds`, {
      'retry-after': String(seconds),
    });
  }
}

export async function recordFailure(db: Kysely<Database>, email: string, ip: string): Promise<void> {
  const key = keyOf(email, ip);
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    const fresh = !row || Date.parse(row.window_started_at) + WINDOW_MS < now;
    const failures = fresh ? 1 : row.failures + 1;
    const over = failures - FREE_FAILURES;
    const blockedUntil =
      over > 0 ? new Date(now + Math.min(MAX_BLOCK_MS, 30_000 * 2 ** (over - 1))).toISOString() : null;
    const windowStartedAt = fresh ? new Date(now).toISOString() : row.window_started_at;
    await trx
      .insertInto('login_throttle')
      .values({ key, failures, window_started_at: windowStartedAt, blocked_until: blockedUntil })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ failures, window_started_at: windowStartedAt, blocked_until: blockedUntil }),
      )
      .execute();
  });
}

export async function clearFailures(db: Kysely<Database>, email: string, ip: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', keyOf(email, ip)).execute();
}
