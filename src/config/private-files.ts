// What the hub keeps on disk (the SQLite database and its -wal/-shm files, the data directory, the
// generated secret key) is created for its own user only: files 0600, directories 0700. A file or
// directory that already exists keeps its mode; `permissionWarnings` names those that others can read,
// with the chmod that fixes each, for the start-up log.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates the directory (and missing parents) as 0700; an existing one is left as it is. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates an empty file as 0600 unless it exists (SQLite then gives its -wal and -shm files the same mode). */
export function ensurePrivateFile(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** One sentence for each existing path that its group or other users can read, write or enter. */
export function permissionWarnings(paths: string[]): string[] {
  if (process.platform === 'win32') return [];
  const warnings: string[] = [];
  for (const path of new Set(paths)) {
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if ((stats.mode & 0o077) === 0) continue;
    const directory = stats.isDirectory();
    const fix = `chmod ${directory ? '700' : '600'} '${path.replaceAll("'", "'\\''")}'`;
    warnings.push(
      `${directory ? 'the directory' : 'the file'} ${path} can be read by other users (mode ${octal(stats.mode)}); make it private with: ${fix}`,
    );
  }
  return warnings;
}
