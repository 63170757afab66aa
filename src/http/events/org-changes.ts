// What changed in an organization, derived from the database alone so that any number of web processes
// on one database agree: a cheap fingerprint per kind (row count and latest change time of the
// organization's rows), read about once a second by one poller per organization in this process and
// shared by every stream of that organization that this process serves.
import type { Db } from '../../db/index.ts';

export const CHANGE_KINDS = ['comments', 'issues', 'pushes', 'scans'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
type Fingerprint = Record<ChangeKind, string>;

const SOURCES: Record<
  ChangeKind,
  { table: 'comments' | 'tracked_issues' | 'push_items' | 'scans'; column: 'updated_at' | 'imported_at' }
> = {
  comments: { table: 'comments', column: 'updated_at' },
  issues: { table: 'tracked_issues', column: 'updated_at' },
  pushes: { table: 'push_items', column: 'updated_at' },
  scans: { table: 'scans', column: 'imported_at' },
};

/** Count and latest change time of each kind of the organization's rows, as one string per kind. */
export async function readFingerprint(db: Db, organizationId: string): Promise<Fingerprint> {
  const parts = await Promise.all(
    CHANGE_KINDS.map(async (kind) => {
      const { table, column } = SOURCES[kind];
      const row = await db.kysely
        .selectFrom(table)
        .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.max(column).as('latest')])
        .where('organization_id', '=', organizationId)
        .executeTakeFirst();
      return [kind, `${Number(row?.n ?? 0)}|${String(row?.latest ?? '')}`] as const;
    }),
  );
  return Object.fromEntries(parts) as Fingerprint;
}

export type ChangeListener = (kinds: ChangeKind[]) => void;

interface Watch {
  listeners: Set<ChangeListener>;
  last: Fingerprint | null;
  timer: NodeJS.Timeout | null;
  busy: boolean;
}

export interface OrgChangesOptions {
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/** One poller per organization with listeners; it stops when the last listener leaves. */
export function createOrgChanges(db: Db, options: OrgChangesOptions = {}) {
  const intervalMs = options.intervalMs ?? 1000;
  const watches = new Map<string, Watch>();

  async function tick(organizationId: string, watch: Watch): Promise<void> {
    if (watch.busy) return;
    watch.busy = true;
    try {
      const next = await readFingerprint(db, organizationId);
      const previous = watch.last;
      watch.last = next;
      if (!previous) return;
      const kinds = CHANGE_KINDS.filter((kind) => previous[kind] !== next[kind]);
      if (kinds.length === 0) return;
      for (const listener of watch.listeners) listener(kinds);
    } catch (error) {
      options.onError?.(error);
    } finally {
      watch.busy = false;
    }
  }

  return {
    /** Calls `listener` with the kinds that changed after this call; returns the unsubscribe. */
    async subscribe(organizationId: string, listener: ChangeListener): Promise<() => void> {
      let watch = watches.get(organizationId);
      if (!watch) {
        const created: Watch = { listeners: new Set(), last: null, timer: null, busy: false };
        watches.set(organizationId, created);
        created.timer = setInterval(() => void tick(organizationId, created), intervalMs);
        created.timer.unref();
        watch = created;
      }
      watch.listeners.add(listener);
      // The baseline: what exists now is not a change.
      if (!watch.last) await tick(organizationId, watch);
      const current = watch;
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size === 0 && watches.get(organizationId) === current) {
          if (current.timer) clearInterval(current.timer);
          watches.delete(organizationId);
        }
      };
    },
    /** Organizations being polled now (for tests). */
    watched: () => [...watches.keys()],
  };
}
