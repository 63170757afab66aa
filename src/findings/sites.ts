/**
 * One site, several spellings: a report may name one web application as `http://host`, `https://host`,
 * `host` and `host:443` (ZAP sites, Nuclei hosts, TLS and DNS results of the same host). siteKey gives
 * them one key: the host, lower-case and without a trailing dot, plus the port when it is not 80 or 443
 * (`http://host:8080` stays a site of its own). Scheme and default port do not make another site; each
 * finding keeps its own URL.
 */
export function siteKey(name: string): string {
  const raw = name.trim();
  if (raw === '') return '';
  let host = raw;
  let port = '';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  try {
    const u = new URL(withScheme ? raw : `tcp://${raw}`);
    host = u.hostname;
    port = u.port;
  } catch {
    const m = /^([^:/]+)(?::(\d+))?/.exec(raw);
    host = m?.[1] ?? raw;
    port = m?.[2] ?? '';
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (host === '') return raw.toLowerCase();
  return port === '' || port === '80' || port === '443' ? host : `${host}:${port}`;
}

/** Site names grouped by siteKey, in order of first appearance; '' (findings placed on no site) is left out. */
export function groupSites(names: Iterable<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    if (name === '') continue;
    const key = siteKey(name);
    const group = groups.get(key);
    if (!group) groups.set(key, [name]);
    else if (!group.includes(name)) group.push(name);
  }
  return groups;
}

/** The name to show for a group of spellings of one site: its https origin when there is one, else the first URL, else the first. */
export function preferredSiteName(names: string[]): string {
  return names.find((n) => /^https:\/\//i.test(n)) ?? names.find((n) => /^https?:\/\//i.test(n)) ?? names[0] ?? '';
}
