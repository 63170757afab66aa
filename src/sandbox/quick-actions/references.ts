// GitLab Flavored Markdown references, found where Banzai's ReferenceFilter looks: in the text of the
// rendered HTML outside `pre`, `code`, `a` and `style` (ReferenceFilter#ignore_ancestor_query). So the
// text is read as CommonMark + GFM (micromark; GitLab renders with comrak) and only text nodes count:
// code spans, code blocks (``` and ~~~, indented), links and autolinks are skipped, and inside raw HTML
// the text outside <code>, <pre>, <a> and <style> counts. Backslash escapes and entities are decoded
// first, as in the HTML Banzai reads (`&#64;bob` and `\@bob` are mentions; see github/markup#1168 for
// the same effect on GitHub); a zero-width character after the prefix breaks a reference.
// Kinds: `@user`, `@all`, `#1`, `group/project#1`, `!1` (merge request), `$1` (snippet), `&1` (epic),
// `~label`, `%milestone`, `[[wiki page]]`.
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

export interface FoundReferences {
  users: string[];
  all: boolean;
  issues: number[];
  /** Cross-project issue references, `group/project#1`. */
  projectIssues: { project: string; iid: number }[];
  mergeRequests: number[];
  snippets: number[];
  epics: number[];
  labels: string[];
  milestones: string[];
  wikiPages: string[];
}

const IGNORED_ELEMENTS = /<(a|code|pre|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

/** The text Banzai would search for references: text nodes outside code and links, one per line. */
export function referenceText(markdown: string): string {
  const tree = fromMarkdown(markdown.replace(/\r\n?/g, '\n'), {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const out: string[] = [];
  // Inline HTML arrives as separate tags: text between an opening <code>/<a>/<pre>/<style> and its end is skipped.
  let inIgnoredInline = 0;
  const visit = (node: Nodes) => {
    switch (node.type) {
      case 'code':
      case 'inlineCode':
      case 'link':
      case 'linkReference':
      case 'definition':
      case 'image':
      case 'imageReference':
        return;
      case 'html': {
        const open = /^<(a|code|pre|style)\b[^>]*>$/i.test(node.value.trim());
        const close = /^<\/(a|code|pre|style)\s*>$/i.test(node.value.trim());
        if (open) inIgnoredInline++;
        else if (close) inIgnoredInline = Math.max(0, inIgnoredInline - 1);
        else
          out.push(
            node.value
              .replace(IGNORED_ELEMENTS, ' ')
              .replace(/<[^>]*>/g, ' ')
              .replace(/&#0*64;|&commat;/gi, '@')
              .replace(/&#0*35;|&num;/gi, '#'),
          );
        return;
      }
      case 'text':
        if (inIgnoredInline === 0) out.push(node.value);
        return;
      default:
        if ('children' in node) {
          for (const child of node.children as Nodes[]) visit(child);
          out.push('\n');
        }
    }
  };
  visit(tree);
  return out.join(' ');
}

const NONE: FoundReferences = {
  users: [],
  all: false,
  issues: [],
  projectIssues: [],
  mergeRequests: [],
  snippets: [],
  epics: [],
  labels: [],
  milestones: [],
  wikiPages: [],
};

export function findReferences(text: string): FoundReferences {
  // Parsing is the slow part: text without any reference prefix (entities included) has nothing to find.
  if (!/[@#!~%$&]|\[\[/.test(text)) return { ...NONE };
  const plain = referenceText(text);
  const users = new Set<string>();
  let all = false;
  for (const m of plain.matchAll(/(^|[^\w@&/.`])@([a-zA-Z0-9_](?:[a-zA-Z0-9_./-]*[a-zA-Z0-9_])?)/g)) {
    const name = m[2] as string;
    if (name.toLowerCase() === 'all') all = true;
    else users.add(name);
  }
  const issues = new Set<number>();
  for (const m of plain.matchAll(/(^|[^\w&/#])#(\d+)\b/g)) issues.add(Number(m[2]));
  const projectIssues = new Map<string, { project: string; iid: number }>();
  for (const m of plain.matchAll(/(^|[^\w/.-])([A-Za-z0-9_][\w.-]*(?:\/[\w.-]+)+)#(\d+)\b/g))
    projectIssues.set(`${m[2]}#${m[3]}`, { project: m[2] as string, iid: Number(m[3]) });
  const numbered = (prefix: string) => {
    const found = new Set<number>();
    const re = new RegExp(`(^|[^\\w${prefix}])(?:[A-Za-z0-9_][\\w.-]*(?:/[\\w.-]+)*)?${prefix}(\\d+)\\b`, 'g');
    for (const m of plain.matchAll(re)) found.add(Number(m[2]));
    return [...found];
  };
  const labels = new Set<string>();
  for (const m of plain.matchAll(/(^|[^\w~])~(?:"([^"]+)"|([a-zA-Z0-9_][\w.:?&-]*))/g))
    labels.add((m[2] ?? m[3]) as string);
  const milestones = new Set<string>();
  for (const m of plain.matchAll(/(^|[^\w%])%(?:"([^"]+)"|([a-zA-Z0-9_][\w.-]*))/g))
    milestones.add((m[2] ?? m[3]) as string);
  const wikiPages = new Set<string>();
  for (const m of plain.matchAll(/\[\[([^\]\n]+)\]\]/g)) wikiPages.add(m[1] as string);
  return {
    users: [...users],
    all,
    issues: [...issues],
    projectIssues: [...projectIssues.values()],
    mergeRequests: numbered('!'),
    snippets: numbered('\\$'),
    epics: numbered('&'),
    labels: [...labels],
    milestones: [...milestones],
    wikiPages: [...wikiPages],
  };
}
