// Rooms on floors (DESIGN §3): a folder of src/ is a room, its index.ts its door. A room imports another
// only through that door, never a room on a higher floor; the sandbox is imported only by the command
// line (and tests); the web app imports only the contracts; no two rooms import each other in a circle.
// KNOWN lists the exceptions that exist today and must go: the test also fails when one of them is gone,
// so the list only ever shrinks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** The floors of DESIGN §3; a room not listed here fails the test until it is given a floor. */
const FLOORS: Record<string, number> = {
  cli: 6,
  http: 5,
  tasks: 5,
  webhooks: 5,
  lifecycle: 4,
  scanning: 4,
  tracking: 4,
  imports: 4,
  gitlab: 3,
  services: 3,
  jobs: 2,
  audit: 2,
  findings: 1,
  db: 1,
  contracts: 1,
  config: 1,
  crypto: 1,
  lib: 1,
};
/** Leaves: imported by nobody but the given rooms; what they may import themselves. */
const LEAVES: Record<string, { importedBy: string[]; mayImport: string[] | 'any' }> = {
  sandbox: { importedBy: ['cli'], mayImport: 'any' },
  web: { importedBy: [], mayImport: ['contracts'] },
};

/** Violations that exist today, to be removed (issue #16); nothing may be added. */
const KNOWN: string[] = [];

interface RoomImport {
  from: string;
  fromRoom: string;
  to: string;
  toRoom: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx|mts)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every import or re-export between two rooms of src/ (static and dynamic). */
function roomImports(): RoomImport[] {
  const found: RoomImport[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file);
    const fromRoom = from.split('/')[0] ?? '';
    if (!from.includes('/')) continue;
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g),
      ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g),
      ...text.matchAll(/(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g),
    ].map((m) => m[1] ?? '');
    for (const specifier of specifiers) {
      const to = relative(SRC, resolve(dirname(file), specifier));
      const toRoom = to.split('/')[0] ?? '';
      if (toRoom !== fromRoom && !to.startsWith('..')) found.push({ from, fromRoom, to, toRoom });
    }
  }
  return found;
}

function violations(imports: RoomImport[]): string[] {
  const out: string[] = [];
  for (const i of imports) {
    const line = `${i.from} -> ${i.to}`;
    const leafFrom = LEAVES[i.fromRoom];
    const leafTo = LEAVES[i.toRoom];
    if (!leafFrom && FLOORS[i.fromRoom] === undefined) out.push(`room without a floor: ${line}`);
    if (!leafTo && FLOORS[i.toRoom] === undefined) out.push(`room without a floor: ${line}`);
    if (!/^[^/]+\/index\.tsx?$/.test(i.to)) out.push(`side door: ${line}`);
    if (leafTo && !leafTo.importedBy.includes(i.fromRoom)) out.push(`leaf ${i.toRoom} imported: ${line}`);
    if (leafFrom && leafFrom.mayImport !== 'any' && !leafFrom.mayImport.includes(i.toRoom))
      out.push(`${i.fromRoom} imports ${i.toRoom}: ${line}`);
    const a = FLOORS[i.fromRoom];
    const b = FLOORS[i.toRoom];
    if (a !== undefined && b !== undefined && b > a) out.push(`upward (floor ${a} to ${b}): ${line}`);
  }
  return [...new Set(out)].sort();
}

/** Circles in the graph of rooms (each as the rooms on it, smallest first). */
function circles(imports: RoomImport[]): string[] {
  const edges = new Map<string, Set<string>>();
  for (const i of imports) {
    if (!edges.has(i.fromRoom)) edges.set(i.fromRoom, new Set());
    edges.get(i.fromRoom)?.add(i.toRoom);
  }
  const found = new Set<string>();
  const walk = (start: string, at: string, path: string[]) => {
    for (const next of edges.get(at) ?? []) {
      if (next === start) {
        const min = path.indexOf([...path].sort()[0] ?? start);
        found.add([...path.slice(min), ...path.slice(0, min)].join(' -> '));
      } else if (!path.includes(next) && path.length < 8) walk(start, next, [...path, next]);
    }
  };
  for (const room of edges.keys()) walk(room, room, [room]);
  return [...found].sort();
}

describe('architecture: rooms on floors (DESIGN §3)', () => {
  const imports = roomImports();

  it('finds the imports between rooms it checks', () => {
    expect(imports.length).toBeGreaterThan(100);
    expect(imports.some((i) => i.fromRoom === 'cli' && i.toRoom === 'http')).toBe(true);
  });

  it('no side door, no upward import, no leaf imported from the wrong room, beyond the known ones', () => {
    const now = violations(imports);
    expect(now.filter((v) => !KNOWN.includes(v))).toEqual([]);
    expect(
      KNOWN.filter((v) => !now.includes(v)),
      'fixed: remove from KNOWN',
    ).toEqual([]);
  });

  it('no two rooms import each other in a circle', () => {
    expect(circles(imports)).toEqual([]);
  });

  it('the rules catch what they are for', () => {
    const sample = (from: string, to: string): RoomImport => ({
      from,
      fromRoom: from.split('/')[0] ?? '',
      to,
      toRoom: to.split('/')[0] ?? '',
    });
    expect(violations([sample('gitlab/client.ts', 'db/tables.ts')])).toEqual([
      'side door: gitlab/client.ts -> db/tables.ts',
    ]);
    expect(violations([sample('jobs/task.ts', 'gitlab/index.ts')])).toEqual([
      'upward (floor 2 to 3): jobs/task.ts -> gitlab/index.ts',
    ]);
    expect(violations([sample('http/app.ts', 'sandbox/index.ts')])).toEqual([
      'leaf sandbox imported: http/app.ts -> sandbox/index.ts',
    ]);
    expect(violations([sample('web/app.tsx', 'lib/index.ts')])).toEqual([
      'web imports lib: web/app.tsx -> lib/index.ts',
    ]);
    expect(violations([sample('cli/main.ts', 'sandbox/index.ts'), sample('tracking/a.ts', 'gitlab/index.ts')])).toEqual(
      [],
    );
    expect(circles([sample('gitlab/a.ts', 'jobs/index.ts'), sample('jobs/b.ts', 'gitlab/index.ts')])).toEqual([
      'gitlab -> jobs',
    ]);
  });
});
