// Quick-action extraction as GitLab's Gitlab::QuickActions::Extractor does it. Every CR is deleted
// first; a command is `^\/(cmd)(?:[ ](arg))?(?:\s*\n|$)`: at column 0 of a line only (no blanks
// before it, not after `>` or `- `), case-insensitive. GitLab has read text in two ways over the years,
// and a self-managed instance may run either, so the sandbox runs a command when EITHER would:
// - regex generation (up to 16.x, lib/gitlab/quick_actions/extractor.rb @18f78289): one regex applied
//   with gsub; at each line start the first of these that matches wins (Ruby: `^`/`$` are line anchors,
//   `.` matches newlines):
//     code        ^```.+?\n```$              a ``` line up to the next line that is exactly ```
//     inline_code ^.*`\n*.+?\n*`$            a backtick, then (at least one character on) a backtick
//                                          ending a line: greedy, so it runs to the LAST such one
//     html        ^<[^>]+?>\n.+?\n<\/[^>]+?>$  an HTML block
//     quote       ^>>>.+?\n>>>$               a >>> quote block
//   so `~~~` fences are not skipped.
// - Markdown generation (Banzai::Pipeline::QuickActionPipeline, QuickActionFilter): only top-level
//   paragraphs (CommonMark + GFM, as comrak reads it) with a line starting with `/` are searched, and in
//   them inline code (`.+?`, across lines) and HTML blocks are skipped. Code blocks of any kind, block
//   quotes, lists and HTML blocks are never searched.
// A command match is removed from the text (with its line end and the blank lines after it). Matching
// a name is case-insensitive with Unicode case folding (as Onigmo; multi-character folds such as ß/ss
// are not modelled). Commands that are not available to the actor stay in the text untouched. Both
// readings run in linear time here (the inline_code branch as a JS regex is quadratic on big texts).
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

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

const COMMAND = new RegExp(`\\/(${COMMANDS.join('|')})(?:[ ]([^\\n]*))?(?:[ \\t\\f\\v\\n]*\\n|(?![^\\n]))`, 'iuy');

/** Ruby's `$`: the end of the text or a position before a line feed. */
const atLineEnd = (s: string, i: number) => i >= s.length || s.charCodeAt(i) === 10;

/** The first `\n` + `open` at or after `from` that is followed by `tail`, a line end: the index after it, or -1. */
function closing(s: string, from: number, open: string, tail: (end: number) => number): number {
  for (let i = s.indexOf(open, from); i !== -1; i = s.indexOf(open, i + 1)) {
    const end = tail(i + open.length);
    if (end !== -1) return end;
  }
  return -1;
}

/** Where a skipped region that starts at line start `p` ends, or -1 when none of the four starts there. */
function skipped(s: string, p: number, lastEolTick: number): number {
  if (s.startsWith('```', p)) {
    const end = closing(s, p + 4, '\n```', (e) => (atLineEnd(s, e) ? e : -1));
    if (end !== -1) return end;
  }
  const tick = s.indexOf('`', p);
  if (tick !== -1 && lastEolTick !== -1 && tick <= lastEolTick - 2) return lastEolTick + 1;
  if (s[p] === '<') {
    const gt = s.indexOf('>', p + 1);
    if (gt >= p + 2 && s[gt + 1] === '\n') {
      const end = closing(s, gt + 3, '\n</', (e) => {
        const g = s.indexOf('>', e);
        return g >= e + 1 && atLineEnd(s, g + 1) ? g + 1 : -1;
      });
      if (end !== -1) return end;
    }
  }
  if (s.startsWith('>>>', p)) {
    const end = closing(s, p + 4, '\n>>>', (e) => (atLineEnd(s, e) ? e : -1));
    if (end !== -1) return end;
  }
  return -1;
}

/** Line starts where the regex generation would match a command. */
function regexGeneration(s: string): number[] {
  let lastEolTick = -1;
  for (let i = s.lastIndexOf('`'); i !== -1; i = i > 0 ? s.lastIndexOf('`', i - 1) : -1) {
    if (atLineEnd(s, i + 1)) {
      lastEolTick = i;
      break;
    }
  }
  const found: number[] = [];
  let p = 0;
  while (p < s.length) {
    if (p === 0 || s.charCodeAt(p - 1) === 10) {
      const end = skipped(s, p, lastEolTick);
      if (end !== -1) {
        p = end;
        continue;
      }
      const m = commandAt(s, p);
      if (m) {
        found.push(p);
        p += m[0].length;
        continue;
      }
    }
    const nl = s.indexOf('\n', p);
    p = nl === -1 ? s.length : nl + 1;
  }
  return found;
}

/**
 * GitLab's comrak reads `>>>` … `>>>` as one block quote (the multiline_block_quotes extension), which
 * micromark does not know: its lines are blanked (line numbers kept) so that nothing in it is top-level.
 */
function withoutMultilineQuotes(s: string): string {
  const lines = s.split('\n');
  let open: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const fence: string | undefined =
      /^(>{3,})\s*$/.exec(lines[i] as string)?.[1] ??
      (open === null ? /^(>{3,})/.exec(lines[i] as string)?.[1] : undefined);
    if (open === null) {
      if (fence) {
        open = fence;
        lines[i] = '';
      }
    } else {
      if (fence && fence.length >= open.length && /^>+\s*$/.test(lines[i] as string)) open = null;
      lines[i] = '';
    }
  }
  return lines.join('\n');
}

/** Line starts where the Markdown generation would match a command. */
function markdownGeneration(s: string): number[] {
  if (!/(^|\n)\//.test(s)) return [];
  const lineStarts = [0];
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const found: number[] = [];
  const tree = fromMarkdown(withoutMultilineQuotes(s), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  for (const node of tree.children) {
    if (node.type !== 'paragraph' || !node.position) continue;
    const from = lineStarts[node.position.start.line - 1] ?? 0;
    const next = lineStarts[node.position.end.line];
    const to = next === undefined ? s.length : next;
    let p = from;
    while (p < to) {
      if (s[p] === '`') {
        const close = s.indexOf('`', p + 2);
        if (close !== -1 && close < to) {
          p = close + 1;
          continue;
        }
      }
      if (p === 0 || s.charCodeAt(p - 1) === 10) {
        // Only the HTML-block branch of `skipped` can match at a `<` when no backtick ends a line.
        const html = s[p] === '<' ? skipped(s, p, -1) : -1;
        if (html !== -1) {
          p = html;
          continue;
        }
        const m = commandAt(s, p);
        if (m) {
          found.push(p);
          p += m[0].length;
          continue;
        }
      }
      p++;
    }
  }
  return found;
}

function commandAt(s: string, p: number): RegExpExecArray | null {
  if (s[p] !== '/') return null;
  COMMAND.lastIndex = p;
  return COMMAND.exec(s);
}

export function extractCommands(
  text: string,
  available: (name: CommandName) => boolean,
): { text: string; commands: Command[] } {
  const s = text.replace(/\r/g, '');
  const starts = [...new Set([...regexGeneration(s), ...markdownGeneration(s)])].sort((a, b) => a - b);
  const commands: Command[] = [];
  let kept = '';
  let from = 0;
  for (const p of starts) {
    const m = commandAt(s, p);
    const name = m?.[1]?.toLowerCase() as CommandName | undefined;
    if (!m || !name || !available(name) || p < from) continue;
    commands.push({ name, arg: (m[2] ?? '').trim() });
    kept += s.slice(from, p);
    from = p + m[0].length;
  }
  kept += s.slice(from);
  return { text: commands.length > 0 ? kept.trimEnd() : text, commands };
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
