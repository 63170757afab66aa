// GitLab Flavored Markdown references outside code: `@user`, `@all`, `#123`, `~label`, `%milestone`.
// Banzai's ReferenceFilter ignores text inside pre, code, a and style; so here fenced blocks
// (``` and ~~~, which both render as code), indented code, inline code spans and links are removed
// before scanning. HTML entities such as `&#64;` are not references.

export interface FoundReferences {
  users: string[];
  all: boolean;
  issues: number[];
  labels: string[];
  milestones: string[];
}

export function stripCode(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    if (fence !== null) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close?.[1]?.startsWith(fence[0] as string) && close[1].length >= fence.length) fence = null;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open?.[1]) {
      fence = open[1];
      continue;
    }
    if (/^( {4}|\t)/.test(line)) continue;
    out.push(line);
  }
  return out
    .join('\n')
    .replace(/(`+)[\s\S]*?\1/g, ' ')
    .replace(/<a\b[^>]*>[\s\S]*?<\/a>/gi, ' ')
    .replace(/<(code|pre|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ');
}

export function findReferences(text: string): FoundReferences {
  const plain = stripCode(text);
  const users = new Set<string>();
  let all = false;
  for (const m of plain.matchAll(/(^|[^\w@&/.])@([a-zA-Z0-9_][a-zA-Z0-9_.-]*[a-zA-Z0-9_]|[a-zA-Z0-9_])/g)) {
    const name = m[2] as string;
    if (name.toLowerCase() === 'all') all = true;
    else users.add(name);
  }
  const issues = new Set<number>();
  for (const m of plain.matchAll(/(^|[^\w&/#])#(\d+)\b/g)) issues.add(Number(m[2]));
  const labels = new Set<string>();
  for (const m of plain.matchAll(/(^|[^\w~])~(?:"([^"]+)"|([a-zA-Z0-9_][\w.:-]*))/g)) labels.add((m[2] ?? m[3]) as string);
  const milestones = new Set<string>();
  for (const m of plain.matchAll(/(^|[^\w%])%(?:"([^"]+)"|([a-zA-Z0-9_][\w.-]*))/g)) milestones.add((m[2] ?? m[3]) as string);
  return { users: [...users], all, issues: [...issues], labels: [...labels], milestones: [...milestones] };
}
