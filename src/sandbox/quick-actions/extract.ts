// Quick-action extraction as GitLab's Gitlab::QuickActions::Extractor does it: `/cmd args` alone on
// a line at column 0, case-insensitive, skipping ``` fences (at column 0), `>>>` quote blocks and
// HTML blocks. `~~~` fences are NOT skipped. Extracted lines are removed from the text; commands
// that are not available to the actor stay in the text untouched.

export const COMMANDS = [
  'close',
  'reopen',
  'assign',
  'unassign',
  'label',
  'labels',
  'unlabel',
  'remove_label',
  'relabel',
  'confidential',
  'due',
  'remove_due_date',
  'milestone',
  'remove_milestone',
  'title',
  'lock',
  'unlock',
] as const;

export type CommandName = (typeof COMMANDS)[number];

export interface Command {
  name: CommandName;
  arg: string;
}

const LINE = /^\/([a-z_]+)(?:[ \t]+(.*?))?[ \t]*$/i;

export function extractCommands(
  text: string,
  available: (name: CommandName) => boolean,
): { text: string; commands: Command[] } {
  const lines = text.split('\n');
  const kept: string[] = [];
  const commands: Command[] = [];
  let block: 'fence' | 'quote' | { html: string } | null = null;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (block === 'fence') {
      if (/^```\s*$/.test(line)) block = null;
      kept.push(raw);
      continue;
    }
    if (block === 'quote') {
      if (/^>>>\s*$/.test(line)) block = null;
      kept.push(raw);
      continue;
    }
    if (block !== null) {
      if (line.startsWith(`</${block.html}>`)) block = null;
      kept.push(raw);
      continue;
    }
    if (/^```/.test(line)) {
      block = 'fence';
      kept.push(raw);
      continue;
    }
    if (/^>>>/.test(line)) {
      block = 'quote';
      kept.push(raw);
      continue;
    }
    const html = /^<([a-z][a-z0-9-]*)[^>]*>\s*$/i.exec(line);
    if (html?.[1]) {
      block = { html: html[1] };
      kept.push(raw);
      continue;
    }
    const m = LINE.exec(line);
    const name = m?.[1]?.toLowerCase();
    if (m && name && (COMMANDS as readonly string[]).includes(name) && available(name as CommandName)) {
      commands.push({ name: name as CommandName, arg: (m[2] ?? '').trim() });
      continue;
    }
    kept.push(raw);
  }
  return { text: commands.length > 0 ? kept.join('\n').trim() : text, commands };
}

/** `~bug ~"needs review"` or `bug, x` into label names. */
export function parseLabelArgs(arg: string): string[] {
  const out: string[] = [];
  const re = /~"([^"]+)"|~([^\s~,"]+)|"([^"]+)"|([^\s~,"]+)/g;
  for (const m of arg.matchAll(re)) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (name) out.push(name);
  }
  return out;
}

/** `@alice @bob`, `alice`, or `me`. */
export function parseUserArgs(arg: string): string[] {
  return arg
    .split(/[\s,]+/)
    .map((s) => s.replace(/^@/, ''))
    .filter((s) => s.length > 0);
}

/** `%v1.0`, `%"Sprint 3"` or a bare title. */
export function parseMilestoneArg(arg: string): string {
  const m = /^%?"([^"]+)"$/.exec(arg.trim());
  return m?.[1] ?? arg.trim().replace(/^%/, '');
}

/** YYYY-MM-DD, `today`, `tomorrow`, `in N days`. Null when not understood. */
export function parseDueDate(arg: string, now: number): string | null {
  const a = arg.trim().toLowerCase();
  const day = 86_400_000;
  const fmt = (t: number) => new Date(t).toISOString().slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}$/.test(a) && !Number.isNaN(Date.parse(a))) return a;
  if (a === 'today') return fmt(now);
  if (a === 'tomorrow') return fmt(now + day);
  const rel = /^in (\d+) (day|days|week|weeks)$/.exec(a);
  if (rel?.[1]) return fmt(now + Number(rel[1]) * (rel[2]?.startsWith('week') ? 7 : 1) * day);
  const t = Date.parse(arg);
  return Number.isNaN(t) ? null : fmt(t);
}
