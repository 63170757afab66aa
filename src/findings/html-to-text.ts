/**
 * HTML → plain text for scanner descriptions. Not a browser: it keeps the words and the paragraph
 * structure, drops every tag (and the content of script/style/head), and decodes entities, so the
 * result can only ever be shown as text.
 */

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'tr',
  'table',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'hr',
  'dl',
  'dt',
  'dd',
]);
const DROP_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  laquo: '«',
  raquo: '»',
  middot: '·',
  shy: '',
  times: '×',
  euro: '€',
  deg: '°',
  para: '¶',
  sect: '§',
};

/** Decodes HTML character references; unknown ones are left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref] ?? NAMED[ref.toLowerCase()];
    return named ?? whole;
  });
}

/** True when the text looks like it carries HTML markup (a tag or an entity). */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[A-Za-z][^<>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(text);
}

// A tag body stops at the next '<' and quoted values are bounded, so matching stays linear.
const TAG =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<\/?([A-Za-z][A-Za-z0-9:-]*)(?:[^<>"']|"[^"<]{0,2000}"|'[^'<]{0,2000}')*>|<![^<>]*>|<\?[^<>]*>/g;

export function htmlToText(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return html.trim();
  const out: string[] = [];
  let last = 0;
  let dropping: string | null = null;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    if (dropping === null) out.push(decodeEntities(html.slice(last, m.index)));
    last = m.index + m[0].length;
    const cdata = m[1];
    const name = m[2]?.toLowerCase();
    const closing = m[0].startsWith('</');
    if (dropping !== null) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (cdata !== undefined) {
      out.push(cdata);
      continue;
    }
    if (name === undefined) continue;
    if (DROP_CONTENT.has(name) && !closing && !m[0].endsWith('/>')) dropping = name;
    else if (name === 'li' && !closing) out.push('\n- ');
    else if (BLOCK_TAGS.has(name) || name === 'li') out.push('\n');
    else if (name === 'td' || name === 'th') out.push(closing ? '' : ' ');
  }
  if (dropping === null) out.push(decodeEntities(html.slice(last)));
  return tidy(out.join(''));
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
