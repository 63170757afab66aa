// How an import writes its rows: vulnerabilities, then findings with their identities. Two writers:
// - SQLite: prepared statements of the raw better-sqlite3 handle, reused for every row. Kysely's
//   SQLite driver has one connection and holds it for the whole transaction, and better-sqlite3 is
//   synchronous, so these statements run inside the transaction Kysely opened and roll back with it.
//   (Compiling one large multi-row insert per 400 rows through Kysely cost more than storing them.)
// - Any dialect (PostgreSQL): multi-row statements through the transaction, a batch per round trip.
import type SQLite from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Database, FindingsTable, VulnerabilitiesTable } from '../db/index.ts';
import { type IdentityScope, MAX_PUBLIC_ID_ATTEMPTS, resolveIdentities } from './import-identities.ts';
import { publicId } from '../findings/index.ts';

export interface PendingFinding {
  /** identity_id and public_id are filled in by the writer. */
  row: FindingsTable;
  fingerprint: string;
}

export interface ImportWriter {
  /** Findings handed to findings() at a time. */
  readonly batchSize: number;
  vulnerabilities(rows: VulnerabilitiesTable[]): Promise<void>;
  /** Resolves each finding's identity (creating the new ones) and stores the findings. */
  findings(batch: PendingFinding[]): Promise<void>;
}

const FINDING_COLUMNS = [
  'id',
  'organization_id',
  'scan_id',
  'vulnerability_id',
  'identity_id',
  'position',
  'fingerprint',
  'public_id',
  'site',
  'url',
  'method',
  'parameter',
  'attack',
  'evidence',
  'other_info',
  'request_line',
  'request_headers',
  'request_body',
  'response_status_line',
  'response_headers',
  'response_body',
  'truncated',
  'additional_exchanges',
] as const satisfies ReadonlyArray<keyof FindingsTable>;

const VULNERABILITY_COLUMNS = [
  'id',
  'organization_id',
  'scan_id',
  'position',
  'rule_key',
  'name',
  'severity',
  'confidence',
  'cwe',
  'wasc',
  'owasp',
  'description',
  'solution',
  'references',
  'finding_count',
] as const satisfies ReadonlyArray<keyof VulnerabilitiesTable>;

const insertSql = (table: string, columns: readonly string[], tail = '') =>
  `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})${tail}`;

/** Rows per multi-row statement of the Kysely writer (23 columns each: 9,200 parameters, within both dialects' limits). */
const KYSELY_CHUNK = 400;

/** The writer for a transaction; `sqlite` is the raw handle of the connection that transaction runs on. */
export function importWriter(trx: Transaction<Database>, scope: IdentityScope, sqlite?: SQLite.Database): ImportWriter {
  return sqlite ? sqliteWriter(sqlite, scope) : kyselyWriter(trx, scope);
}

function sqliteWriter(sqlite: SQLite.Database, scope: IdentityScope): ImportWriter {
  if (!sqlite.inTransaction) throw new Error('the SQLite import writer runs only inside a transaction');
  const insertVulnerability = sqlite.prepare(insertSql('vulnerabilities', VULNERABILITY_COLUMNS));
  const insertFinding = sqlite.prepare(insertSql('findings', FINDING_COLUMNS));
  const selectIdentity = sqlite.prepare<[string, string], { id: string; public_id: string }>(
    'select id, public_id from finding_identities where target_id = ? and fingerprint = ?',
  );
  const insertIdentity = sqlite.prepare(
    'insert into finding_identities (id, organization_id, target_id, fingerprint, public_id, first_scan_id, created_at) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing',
  );
  const now = new Date().toISOString();
  // Known identities are read; a new one is created with the attempt's public ID, and a clash (the
  // public ID taken by another identity) retries with the next attempt's.
  const identityOf = (fingerprint: string): { id: string; public_id: string } => {
    for (let attempt = 0; attempt < MAX_PUBLIC_ID_ATTEMPTS; attempt++) {
      if (scope.lookup || attempt > 0) {
        const known = selectIdentity.get(scope.targetId, fingerprint);
        if (known) return known;
      }
      const id = scope.ids.next();
      const pid = publicId(scope.targetId, fingerprint, attempt);
      if (
        insertIdentity.run(id, scope.organizationId, scope.targetId, fingerprint, pid, scope.scanId, now).changes === 1
      )
        return { id, public_id: pid };
    }
    throw new Error('could not allocate unique public IDs');
  };
  const values: unknown[] = new Array(FINDING_COLUMNS.length);
  return {
    batchSize: 256,
    vulnerabilities: async (rows) => {
      for (const row of rows) insertVulnerability.run(VULNERABILITY_COLUMNS.map((c) => row[c]));
    },
    findings: async (batch) => {
      if (!sqlite.inTransaction) throw new Error('the SQLite import writer runs only inside a transaction');
      for (const { row, fingerprint } of batch) {
        const identity = identityOf(fingerprint);
        row.identity_id = identity.id;
        row.public_id = identity.public_id;
        for (let i = 0; i < FINDING_COLUMNS.length; i++) values[i] = row[FINDING_COLUMNS[i] as keyof FindingsTable];
        insertFinding.run(values);
      }
    },
  };
}

function kyselyWriter(trx: Transaction<Database>, scope: IdentityScope): ImportWriter {
  return {
    batchSize: KYSELY_CHUNK,
    vulnerabilities: async (rows) => {
      for (let i = 0; i < rows.length; i += KYSELY_CHUNK)
        await trx
          .insertInto('vulnerabilities')
          .values(rows.slice(i, i + KYSELY_CHUNK))
          .execute();
    },
    findings: async (batch) => {
      if (batch.length === 0) return;
      const identities = await resolveIdentities(
        trx,
        scope,
        batch.map((p) => p.fingerprint),
      );
      const rows = batch.map(({ row, fingerprint }) => {
        const identity = identities.get(fingerprint);
        if (!identity) throw new Error(`no identity for fingerprint ${fingerprint}`);
        row.identity_id = identity.id;
        row.public_id = identity.publicId;
        return row;
      });
      for (let i = 0; i < rows.length; i += KYSELY_CHUNK)
        await trx
          .insertInto('findings')
          .values(rows.slice(i, i + KYSELY_CHUNK))
          .execute();
    },
  };
}
