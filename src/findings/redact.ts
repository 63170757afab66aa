// The secret rules of scanner text (DESIGN §5), pure: credentials in HTTP headers, URL query parameters,
// request lines, bodies and evidence are replaced with a mask. tracking redacts with them before any
// text goes to GitLab (`[redacted]`); the API masks the same secrets in what it answers (`[masked: …]`)
// unless a Contributor asks to reveal them. The name list is configurable (the defaults below, plus
// extra names, e.g. REDACT_EXTRA_NAMES).

export const REDACTED = '[redacted]';

/** Header names whose value is always a credential (compared case-insensitively). */
export const DEFAULT_SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'private-token',
  'x-gitlab-token',
];

/** Extra parameter names that are secrets although they do not look token-like. */
export const DEFAULT_SECRET_PARAMS: readonly string[] = [
  'code',
  'sig',
  'signature',
  'pwd',
  'passwd',
  'pass',
  'credential',
  'credentials',
];

/** A header, query parameter, form field or JSON key whose name matches this holds a secret. */
export const DEFAULT_SECRET_NAME_PATTERN = /token|secret|session|auth|key|password/i;

export interface RedactOptions {
  /** Default true. False returns every input unchanged. */
  enabled?: boolean;
  /** Replaces DEFAULT_SECRET_HEADERS + DEFAULT_SECRET_PARAMS as the exact-name list. */
  names?: readonly string[];
  /** Added to the exact-name list (headers and parameters alike). */
  extraNames?: readonly string[];
  /** Token-like name pattern; null turns the pattern off. Default DEFAULT_SECRET_NAME_PATTERN. */
  namePattern?: RegExp | null;
  /** Default `[redacted]`. A function is given what was masked: the header, parameter or key name, or
   * the kind of credential (`JWT`, `GitLab token`, `Bearer`, `password`, …). */
  replacement?: string | ((name: string) => string);
}

interface Resolved {
  enabled: boolean;
  names: Set<string>;
  pattern: RegExp | null;
  mask: (name: string) => string;
}

function resolve(options: RedactOptions = {}): Resolved {
  const base = options.names ?? [...DEFAULT_SECRET_HEADERS, ...DEFAULT_SECRET_PARAMS];
  const names = new Set([...base, ...(options.extraNames ?? [])].map((n) => n.trim().toLowerCase()));
  const p = options.namePattern === undefined ? DEFAULT_SECRET_NAME_PATTERN : options.namePattern;
  // A stateless copy: a caller's /g pattern would make .test() remember lastIndex.
  const pattern = p ? new RegExp(p.source, p.flags.replace(/[gy]/g, '')) : null;
  const replacement = options.replacement ?? REDACTED;
  const mask = typeof replacement === 'function' ? replacement : () => replacement;
  return { enabled: options.enabled !== false, names, pattern, mask };
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

function isSecretName(r: Resolved, rawName: string): boolean {
  const name = decodeName(rawName).trim().toLowerCase();
  if (name === '') return false;
  return r.names.has(name) || (r.pattern?.test(name) ?? false);
}

// ---- free text: known token shapes ------------------------------------------------------------

const TOKEN_SHAPES: [RegExp, string][] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, 'private key'],
  [/\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, 'JWT'], // header.payload.signature
  [/\bgl[a-z]{1,8}-[A-Za-z0-9_.-]{16,}/g, 'GitLab token'], // glpat-, gloas-, glrt-, glptt-, …
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, 'GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, 'Slack token'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, 'AWS access key'],
  [/\bsk_(?:live|test)_[A-Za-z0-9]{16,}/g, 'Stripe key'],
];

function redactTokenShapes(r: Resolved, text: string): string {
  let out = text;
  for (const [re, kind] of TOKEN_SHAPES) out = out.replace(re, () => r.mask(kind));
  // Credentials after an auth scheme: `Bearer abc`, `Basic dXNlcjpw`, `token abc`.
  // Prose such as "Basic authentication" is left alone: a credential has a digit or is long.
  return out.replace(
    /\b(Bearer|Basic|Digest|Token|Negotiate|NTLM)([ \t]+)([A-Za-z0-9\-._~+/]+=*)/gi,
    (m, scheme: string, sp: string, cred: string) =>
      (cred.length >= 8 && /\d/.test(cred)) || cred.length >= 20 ? `${scheme}${sp}${r.mask(scheme)}` : m,
  );
}

// ---- URLs and parameters ----------------------------------------------------------------------

/** `a=1&token=x` (query, fragment or form body) with secret values masked; the rest verbatim. */
function redactParams(r: Resolved, params: string): string {
  return params.replace(/(^|[&;])([^=&;#\s]*)=([^&;#\s]*)/g, (m, sep: string, name: string) =>
    isSecretName(r, name) ? `${sep}${name}=${r.mask(decodeName(name))}` : m,
  );
}

function redactUrlWith(r: Resolved, url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i, (m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? m : `${scheme}${userinfo.slice(0, colon)}:${r.mask('password')}@`;
  });
  const q = out.indexOf('?');
  const h = out.indexOf('#');
  if (h >= 0) out = `${out.slice(0, h + 1)}${redactParams(r, out.slice(h + 1))}`;
  if (q >= 0 && (h < 0 || q < h)) {
    const end = h >= 0 ? h : out.length;
    out = `${out.slice(0, q + 1)}${redactParams(r, out.slice(q + 1, end))}${out.slice(end)}`;
  }
  return redactTokenShapes(r, out);
}

/** Masks userinfo passwords and secret query/fragment parameters of a URL (or a request target). */
export function redactUrl(url: string, options?: RedactOptions): string {
  const r = resolve(options);
  return r.enabled ? redactUrlWith(r, url) : url;
}

// ---- headers ----------------------------------------------------------------------------------

function maskCookiePairs(r: Resolved, header: string, value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=${r.mask(header)}`;
    })
    .join(';');
}

function redactHeaderValue(r: Resolved, name: string, value: string): string {
  const lower = name.trim().toLowerCase();
  if (lower === 'cookie') return maskCookiePairs(r, name, value);
  if (lower === 'set-cookie') {
    // Only the first pair is the cookie; `Path=/; HttpOnly` and friends are attributes.
    const semi = value.indexOf(';');
    return semi < 0
      ? maskCookiePairs(r, name, value)
      : `${maskCookiePairs(r, name, value.slice(0, semi))}${value.slice(semi)}`;
  }
  if (isSecretName(r, name)) {
    // Keep a leading auth scheme (`Bearer`, `Basic`): it says what kind of credential it was.
    const scheme = /^([A-Za-z][A-Za-z0-9-]*)[ \t]+\S/.exec(value.trim());
    return scheme && /^(authorization|proxy-authorization)$/.test(lower)
      ? `${scheme[1]} ${r.mask(name)}`
      : r.mask(name);
  }
  return redactTextWith(r, value);
}

/** Header values of credential and token-like headers masked (cookie names kept); others scanned. */
export function redactHeaders(
  headers: readonly (readonly [string, string])[],
  options?: RedactOptions,
): [string, string][] {
  const r = resolve(options);
  if (!r.enabled) return headers.map(([n, v]) => [n, v]);
  return headers.map(([n, v]) => [n, redactHeaderValue(r, n, v)]);
}

// ---- free text --------------------------------------------------------------------------------

const NAME = String.raw`[A-Za-z0-9_.\-\[\]%]+`;

function redactTextWith(r: Resolved, text: string): string {
  let out = text;
  // Header lines inside text (raw requests, evidence): `Authorization: Bearer x`, `Cookie: a=b`.
  out = out.replace(
    /^([ \t]*)([A-Za-z0-9!#$%&'*+.^_`|~-]+)([ \t]*:[ \t]*)([^\r\n]*)/gm,
    (m, ind: string, name: string, colon: string, value: string) => {
      const lower = name.toLowerCase();
      if (lower === 'cookie' || lower === 'set-cookie' || isSecretName(r, name))
        return `${ind}${name}${colon}${redactHeaderValue(r, name, value)}`;
      return m;
    },
  );
  // URLs with userinfo.
  out = out.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s:]+):([^/?#@\s]+)@/gi,
    (_m, s: string, u: string) => `${s}${u}:${r.mask('password')}@`,
  );
  // name=value in query strings, request lines, form bodies and prose.
  out = out.replace(
    new RegExp(String.raw`(^|[?&;#\s"'(,{<])(${NAME})=([^&;#\s"'<>)]*)`, 'g'),
    (m, pre: string, name: string, value: string) =>
      value !== '' && isSecretName(r, name) ? `${pre}${name}=${r.mask(decodeName(name))}` : m,
  );
  // JSON and YAML-ish `"password": "x"` / `password: x`.
  out = out.replace(
    /("|')([^"'\r\n]{1,100})\1(\s*:\s*)("(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s,}\]]+)/g,
    (m, q: string, name: string, colon: string, value: string) => {
      if (!isSecretName(r, name) || value === 'null' || value === 'true' || value === 'false') return m;
      const quoted = value.startsWith('"') || value.startsWith("'");
      return `${q}${name}${q}${colon}${quoted ? `${value[0]}${r.mask(name)}${value[0]}` : `"${r.mask(name)}"`}`;
    },
  );
  return redactTokenShapes(r, out);
}

/** Masks credentials found in free text: header lines, URL and form parameters, JSON keys, tokens. */
export function redactText(text: string, options?: RedactOptions): string {
  const r = resolve(options);
  return r.enabled ? redactTextWith(r, text) : text;
}
