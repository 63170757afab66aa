// Make untrusted scanner text inert in GitLab Markdown (DESIGN §5).
//
// Scanner text goes into code: `codeBlock` (a backtick fence longer than any backtick run inside)
// or `inlineCode`. GitLab ignores references (`@user`, `#1`, `~label`, `%milestone`, `!1`, …) inside
// code, and quick actions (`/close`) inside ``` fences. `neutralizeText` is for the rare short field
// that must read as prose (a name): it backslash-escapes every ASCII punctuation character and puts a
// zero-width joiner after each reference prefix.
//
// Why it looks the same: CommonMark §2.4 renders `\` + ASCII punctuation as that literal character,
// so `\[x\]\(y\)` shows `[x](y)`, `\<b\>` shows `<b>`, `\/close` shows `/close` (and no line can
// start with `/`, so no quick action). GitLab's MarkdownPreEscapeFilter/EscapedCharFilter then marks
// an escaped `@ # ! ~ % $ &` as a literal, not a reference. Older GitLab releases lack that filter
// and the sandbox does not model it, so for the reference prefixes we also insert U+200D (zero-width
// joiner): it has no width and no glyph, and no reference pattern (`@name`, `#123`, …) matches across
// it. The cost is an invisible character when the text is copied; that is why it is used only after
// those seven characters.

/** GitLab reference prefixes: user/group, issue, merge request, label, milestone, snippet, epic. */
export const REFERENCE_PREFIXES = ['@', '#', '!', '~', '%', '$', '&'] as const;

const ZWJ = '\u200D';
const LINE_BREAK = /\r\n|\r|\n/g;

/** The longest run of backticks in `text` (0 when there is none). */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return longest;
}

/**
 * True when a line of `text` is exactly three backticks (plus blanks), read as GitLab's quick-action
 * extractor reads it (CR deleted) or as CommonMark does (CR is a line end). A line-based extractor
 * that closes fences on ``` would leave our longer fence early at such a line.
 */
export function hasBareTripleFenceLine(text: string): boolean {
  const bare = /^```\s*$/;
  return (
    text
      .replace(/\r/g, '')
      .split('\n')
      .some((l) => bare.test(l)) || text.split(LINE_BREAK).some((l) => bare.test(l))
  );
}

function safeInfoString(lang: string | undefined): string {
  return (lang ?? '').replace(/[^A-Za-z0-9_+.#-]/g, '').slice(0, 32);
}

/**
 * Wraps `text` in a backtick fence (never `~~~`) longer than any backtick run in it, at least 3.
 * The text is kept verbatim. When it holds a line of bare ``` (which a naive extractor would take
 * as the end of the block and then run the `/command` lines after it), the whole block is put in a
 * blockquote (`> ` after every line end), so that no line of the result starts with `/` at all;
 * GitLab still renders a code block with the same text, inside a quote.
 */
export function codeBlock(text: string, lang?: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  const block = `${fence}${safeInfoString(lang)}\n${text}\n${fence}`;
  if (!hasBareTripleFenceLine(text)) return block;
  return `> ${block.replace(LINE_BREAK, (m) => `${m}> `)}`;
}

/**
 * Inline code for one line of text: newlines become spaces; the backtick run is longer than any in
 * the text; a space pads each side when the text starts or ends with a backtick, or starts and ends
 * with a space (CommonMark strips exactly one such pair). Empty text gives ''.
 */
export function inlineCode(text: string): string {
  const line = text.replace(LINE_BREAK, ' ');
  if (line === '') return '';
  const ticks = '`'.repeat(longestBacktickRun(line) + 1);
  const allSpaces = /^ +$/.test(line);
  const pad =
    !allSpaces && (line.startsWith('`') || line.endsWith('`') || (line.startsWith(' ') && line.endsWith(' ')));
  return pad ? `${ticks} ${line} ${ticks}` : `${ticks}${line}${ticks}`;
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
const PREFIXES = new Set<string>(REFERENCE_PREFIXES);

/**
 * Plain prose that must appear outside code (short fields such as names). The result is one line
 * (line breaks become spaces); every ASCII punctuation character is backslash-escaped, so no
 * quick action, HTML tag or entity, link, image, emphasis, heading, list, table or code span can
 * form; after each reference prefix a zero-width joiner breaks `@name`, `#1`, `~label`, `%m`, `!1`.
 */
export function neutralizeText(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(ASCII_PUNCTUATION, (c) => (PREFIXES.has(c) ? `\\${c}${ZWJ}` : `\\${c}`));
}
