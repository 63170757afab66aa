// Readable but inert GitLab Markdown for untrusted prose (DESIGN §5): hub comments, and the description
// and remediation of a finding. Unlike `codeBlock`, the text stays Markdown paragraphs; only what could
// act is put in a code span:
// - quick actions: GitLab runs `/cmd` at column 0 of a line (Gitlab::QuickActions::Extractor: `^\/cmd`,
//   after deleting every CR). No line of our output starts with `/`, nor with blanks and `/`: a word
//   that starts a line with `/` becomes `` `/close` `` (what GitLab's own redact_commands does), and a
//   code block holding such a line is put in a blockquote (`> ` before every line), so it no longer
//   depends on how the extractor pairs fences.
// - references: a word holding `@user`, `#1`, `!1`, `~label`, `%m`, `$1`, `&1`, `[[wiki]]`,
//   `*iteration:`, `[vulnerability:…]` (also `group/project#1`) becomes a code span; Banzai resolves
//   no reference inside `code`, `pre` or `a`.
// - raw HTML becomes inline code (inline) or an `html` code block (block).
// The text is parsed as CommonMark + GFM (micromark, as GitLab's comrak reads it), changed on the
// syntax tree and written back by mdast-util-to-markdown, which builds code spans and fences longer
// than any backtick run inside and escapes what would read as Markdown. Before returning, the result
// is parsed again and checked; should the check ever fail, the whole text is fenced and quoted instead.
import type { Blockquote, Code, InlineCode, Nodes, Paragraph, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { type Options as ToMarkdownOptions, toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { codeBlock, neutralizeText } from './neutralize-markdown.ts';

/** Where a word holding one of these could be a GitLab reference (or a wiki link). */
export const REFERENCE_TRIGGER =
  /@[A-Za-z0-9_]|#\d|!\d|~[A-Za-z0-9_"?.&-]|%[A-Za-z0-9_".-]|\$\d|&\d|\[\[|\*iteration:|\[(?:vulnerability|work_item|contact|wiki_page):/i;
/** A line GitLab could read as a quick action, or that would be one once leading blanks are trimmed. */
export const COMMAND_LINE = /^[ \t]*\//;

const LINE_BREAKS = /\r\n|[\r\u2028\u2029]/g;
const LEADING = /^[("'“‘{<]+/;
const TRAILING = /[)"'”’.,;:?!}>]+$/;

const parse = (text: string) => fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
const WRITE: ToMarkdownOptions = {
  extensions: [gfmToMarkdown()],
  bullet: '-',
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
  resourceLink: false,
};

const oneLine = (s: string) => s.replace(/\n/g, ' ');
const code = (value: string): InlineCode => ({ type: 'inlineCode', value: oneLine(value) });

/** Splits one word into text and code: the core (punctuation around it trimmed) is code when it could act. */
function splitWord(word: string, atLineStart: boolean): PhrasingContent[] {
  const command = atLineStart && word.startsWith('/');
  if (!command && !REFERENCE_TRIGGER.test(word)) return [{ type: 'text', value: word }];
  if (command) return [code(word)];
  const lead = LEADING.exec(word)?.[0] ?? '';
  const rest = word.slice(lead.length);
  const trail = TRAILING.exec(rest)?.[0] ?? '';
  const core = rest.slice(0, rest.length - trail.length);
  if (!REFERENCE_TRIGGER.test(core)) return [code(word)];
  return [
    ...(lead ? [{ type: 'text', value: lead } as Text] : []),
    code(core),
    ...(trail ? [{ type: 'text', value: trail } as Text] : []),
  ];
}

/** A text node as text and code spans; `atStart` says the node may begin a line. */
function splitText(value: string, atStart: boolean): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let pending = '';
  const flush = () => {
    if (pending) out.push({ type: 'text', value: pending });
    pending = '';
  };
  // Words and the blanks between them; a word starts a line at the node's start or after a line break.
  const parts = value.split(/(\s+)/u);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '') continue;
    if (i % 2 === 1) {
      pending += part;
      continue;
    }
    // Conservative: the node's first word counts as a line start, blanks before it or not.
    const atLineStart =
      (atStart && parts.slice(0, i).every((p) => p.trim() === '')) ||
      (i > 0 && (parts[i - 1] as string).includes('\n'));
    for (const piece of splitWord(part, atLineStart)) {
      if (piece.type === 'text') pending += piece.value;
      else {
        flush();
        out.push(piece);
      }
    }
  }
  flush();
  return out;
}

const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

function hasCommandLine(value: string): boolean {
  return value.split('\n').some((l) => COMMAND_LINE.test(l));
}

/** A fenced code block; one with a line starting with `/` is quoted, so no line of ours starts with `/`. */
function codeNode(value: string, lang: string | null | undefined): Code | Blockquote {
  const kept: Code = {
    type: 'code',
    lang: lang ? lang.replace(/[^A-Za-z0-9_+.#-]/g, '').slice(0, 32) || null : null,
    meta: null,
    value,
  };
  return hasCommandLine(value) ? { type: 'blockquote', children: [kept] } : kept;
}

/** Rewrites `node`'s children in place. */
function transform(node: Nodes): void {
  if (!('children' in node)) return;
  const block = BLOCK_PARENTS.has(node.type);
  const next: Nodes[] = [];
  for (const child of node.children as Nodes[]) {
    switch (child.type) {
      case 'text':
        next.push(...splitText(child.value, true));
        break;
      case 'html':
        next.push(block ? codeNode(child.value, 'html') : code(child.value));
        break;
      case 'inlineCode':
        next.push(code(child.value));
        break;
      case 'code':
        next.push(codeNode(child.value, child.lang));
        break;
      case 'image':
      case 'imageReference':
        child.alt = child.alt ? oneLine(child.alt) : child.alt;
        if (child.type === 'image' && child.title) child.title = oneLine(child.title);
        next.push(child);
        break;
      case 'link': {
        if (child.title) child.title = oneLine(child.title);
        // A GFM autolink (its text is its address) stays a link: Banzai finds no reference inside `a`.
        const only = child.children.length === 1 ? child.children[0] : undefined;
        const auto =
          only?.type === 'text' &&
          !only.value.includes('\n') &&
          (child.url === only.value || child.url === `mailto:${only.value}` || child.url === `http://${only.value}`);
        if (!auto) transform(child);
        next.push(child);
        break;
      }
      case 'definition':
        if (child.title) child.title = oneLine(child.title);
        child.label = child.label ? oneLine(child.label) : child.label;
        next.push(child);
        break;
      default:
        if ('label' in child && typeof child.label === 'string') child.label = oneLine(child.label);
        transform(child);
        next.push(child);
    }
  }
  (node as { children: Nodes[] }).children = next;
}

/** True when `markdown` has no line that could start a quick action, no raw HTML and no reference outside code. */
export function isInertMarkdown(markdown: string): boolean {
  if (
    markdown
      .replace(/\r/g, '')
      .split('\n')
      .some((l) => COMMAND_LINE.test(l))
  )
    return false;
  if (markdown.split(/\r\n|\r|\n/).some((l) => COMMAND_LINE.test(l))) return false;
  let inert = true;
  const visit = (node: Nodes, inLink: boolean) => {
    if (!inert) return;
    if (node.type === 'html') inert = false;
    else if (node.type === 'text' && !inLink && REFERENCE_TRIGGER.test(node.value.replace(/\s+/g, ' '))) inert = false;
    else if ('children' in node) for (const c of node.children as Nodes[]) visit(c, inLink || node.type === 'link');
  };
  visit(parse(markdown), false);
  return inert;
}

function write(tree: Root): string {
  return toMarkdown(tree, WRITE).replace(/\n+$/, '');
}

/** The fallback: the text verbatim in a quoted code fence (no line starts with `/`, nothing resolves). */
function quotedBlock(text: string): string {
  return `> ${codeBlock(text, 'text')
    .replace(/^> /, '')
    .replace(/\n(?!> )/g, '\n> ')}`;
}

function finish(tree: Root, fallback: () => string): string {
  transform(tree);
  const out = write(tree);
  return isInertMarkdown(out) ? out : fallback();
}

const normalize = (text: string) => text.replace(LINE_BREAKS, '\n').replace(/\0/g, '\uFFFD');

/**
 * Markdown a person wrote (a hub comment) as readable GitLab Markdown in which nothing acts: no quick
 * action, no live reference or mention, no raw HTML. Formatting, links, lists and code stay.
 */
export function neutralizeMarkdown(markdown: string): string {
  const text = normalize(markdown);
  if (text.trim() === '') return '';
  return finish(parse(text), () => quotedBlock(text));
}

/**
 * Plain text (a scanner's description or remediation) as Markdown paragraphs that show it as written:
 * blank lines separate paragraphs, a line break stays one, Markdown characters are escaped, acting
 * tokens are code spans.
 */
export function neutralizePlainText(plain: string): string {
  const text = normalize(plain).trim();
  if (text === '') return '';
  // A scanner's line breaks are meant: each becomes a hard break (a soft one would join the lines).
  const paragraphs: RootContent[] = text.split(/\n[ \t]*\n\s*/).map(
    (p) =>
      ({
        type: 'paragraph',
        children: p
          .split('\n')
          .flatMap((line, i): PhrasingContent[] => [
            ...(i > 0 ? [{ type: 'break' } as const] : []),
            { type: 'text', value: line.trim() },
          ]),
      }) satisfies Paragraph,
  );
  return finish({ type: 'root', children: paragraphs }, () => quotedBlock(text));
}

/** One line naming the hub author of a note, e.g. `**Jane Doe** (Vulnbridge) wrote:`; the name is neutralised too. */
export function attributionLine(authorName: string): string {
  const name = normalize(authorName).replace(/\s+/g, ' ').trim() || 'A Vulnbridge user';
  const tree: Root = {
    type: 'root',
    children: [
      {
        type: 'paragraph',
        children: [
          { type: 'strong', children: [{ type: 'text', value: name }] },
          { type: 'text', value: ' (Vulnbridge) wrote:' },
        ],
      },
    ],
  };
  const line = finish(tree, () => '');
  return line && !line.includes('\n') ? line : `**${neutralizeText(name)}** (Vulnbridge) wrote:`;
}
