// First-run set-up codes (like Grafana's, Jenkins' or GitLab's initial password): while no user exists,
// each web process that starts makes a one-time code, prints it once in its log and keeps only its
// SHA-256 in the database, so every process (web and worker roles on one PostgreSQL) accepts a code any
// of them printed. The set-up page needs one; creating the first organization consumes it and drops
// the rest.
import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { constantTimeEqual, sha256 } from '../crypto/index.ts';
import { type Database, newId, nowIso } from '../db/index.ts';
import { DomainError } from '../lib/index.ts';
import { countUsers } from './accounts.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Crockford's base 32: no I, L, O or U, so a code read off a log is typed right. 12 characters, 60 bits. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** Upper case, separators and spaces dropped, and the letters people mistake for digits read as those digits. */
export function normalizeSetupCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

function generateCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** A new code (XXXX-XXXX-XXXX) while no user exists, with its hash stored; null once set up. */
export async function issueSetupCode(db: Kysely<Database>): Promise<string | null> {
  if ((await countUsers(db)) > 0) return null;
  const code = generateCode();
  await db
    .insertInto('setup_codes')
    .values({ id: newId(), code_hash: sha256(normalizeSetupCode(code)), created_at: nowIso() })
    .execute();
  return code;
}

/**
 * The id of the stored code this one matches, compared in constant time against every stored hash;
 * throws DomainError('invalid_setup_code') when none does.
 */
export async function findSetupCode(db: Executor, code: string): Promise<string> {
  const hash = sha256(normalizeSetupCode(code));
  const rows = await db.selectFrom('setup_codes').select(['id', 'code_hash']).execute();
  let match: string | null = null;
  for (const row of rows) {
    if (constantTimeEqual(hash, row.code_hash) && match === null) match = row.id;
  }
  if (match === null)
    throw new DomainError('invalid_setup_code', 'that set-up code is not right; use the one printed in the server log');
  return match;
}

/** Uses the code up in the caller's transaction (a second use of the same code finds it gone) and drops the others. */
export async function consumeSetupCode(trx: Transaction<Database>, id: string): Promise<void> {
  const deleted = await trx.deleteFrom('setup_codes').where('id', '=', id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1)
    throw new DomainError('invalid_setup_code', 'that set-up code has already been used');
  await trx.deleteFrom('setup_codes').execute();
}
