// What every command that touches the database needs: the parsed environment, a logger, the migrated
// database and the secret box. A configuration problem stops here with every bad variable listed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, type Env, loadSecretKey, parseEnv, permissionWarnings } from '../config/index.ts';
import { createSecretBox, type SecretBox } from '../crypto/index.ts';
import { type Db, dialectOf, migrateToLatest, openDatabase } from '../db/index.ts';
import { createLogger, type Logger } from '../lib/index.ts';
import { logDestination } from './log-destination.ts';

export interface Runtime {
  env: Env;
  logger: Logger;
  db: Db;
  secretBox: SecretBox;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Generate the secret key into the data directory when none is set (serve, demo, user create…). */
  generateKey?: boolean;
  migrate?: boolean;
  quiet?: boolean;
  /**
   * The command works on data that must exist already (import, export, push, connect): a SQLite database
   * file that is not there is refused before anything is written, so a failed command leaves no
   * database or key behind in the current folder. The secret key is then read only when first used.
   */
  existingDatabase?: boolean;
}

/** A SQLite DATABASE_URL naming a file that does not exist yet. */
export function missingSqliteFile(url: string): string | null {
  if (dialectOf(url) !== 'sqlite') return null;
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  return path === ':memory:' || existsSync(path) ? null : path;
}

/** What only the hub's user should read: the data directory, the key in it and the SQLite files. */
function privatePaths(env: Env): string[] {
  const paths = [env.VULNBRIDGE_DATA_DIR, join(env.VULNBRIDGE_DATA_DIR, 'secret.key')];
  const sqlite =
    dialectOf(env.DATABASE_URL) === 'sqlite' ? env.DATABASE_URL.replace(/^sqlite:(\/\/)?/i, '') : ':memory:';
  if (sqlite !== ':memory:') paths.push(sqlite, `${sqlite}-wal`, `${sqlite}-shm`);
  return paths;
}

/** Logs go to standard error, so a command's standard output stays its result (`--json`). */
export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  let env: Env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`vulnbridge: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // LOG_FILE: a copy of every line, appended synchronously (a process killed mid-run loses none).
  const destination = env.LOG_FILE
    ? pino.multistream([
        { level: 'trace', stream: logDestination({ destination: 2 }) },
        { level: 'trace', stream: pino.destination({ dest: env.LOG_FILE, append: true, mkdir: true, sync: true }) },
      ])
    : logDestination({ destination: 2 });
  const logger = createLogger({ level: options.quiet ? 'warn' : env.LOG_LEVEL, destination });
  if (options.existingDatabase) {
    const missing = missingSqliteFile(env.DATABASE_URL);
    if (missing) {
      throw new Error(
        `no database at ${missing} yet: create the first organization with \`vulnbridge user create\` or \`vulnbridge serve\`'s set-up page (or set DATABASE_URL)`,
      );
    }
  }
  let secretBox: SecretBox | null = null;
  const openSecretBox = (): SecretBox => {
    if (secretBox) return secretBox;
    const key = loadSecretKey(env, { generate: options.generateKey ?? false });
    if (key.origin === 'generated') {
      logger.warn(
        { path: key.path },
        'generated a new secret key (VULNBRIDGE_SECRET_KEY was not set); keep this file, it decrypts stored GitLab tokens',
      );
    }
    secretBox = createSecretBox(key.key);
    return secretBox;
  };
  if (!options.existingDatabase) openSecretBox();
  const db = openDatabase(env.DATABASE_URL, {
    onError: (error) => logger.warn({ err: error }, 'database connection lost; reconnecting'),
  });
  for (const warning of permissionWarnings(privatePaths(env))) logger.warn(warning);
  if (options.migrate ?? true) {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
  }
  return {
    env,
    logger,
    db,
    get secretBox() {
      return openSecretBox();
    },
    close: () => db.close(),
  };
}
