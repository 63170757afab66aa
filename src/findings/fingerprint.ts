import { hash } from 'node:crypto';

/**
 * A finding's identity at its target (DESIGN §4): the same weakness found again at the same place in a
 * later scan gets the same fingerprint. Place = rule, method, normalised URL (scheme and host lower-case,
 * default port dropped, fragment dropped, query reduced to its sorted distinct parameter NAMES), parameter.
 */
export interface FingerprintParts {
  ruleKey: string;
  method: string;
  url: string;
  parameter: string;
}

const FINGERPRINT_VERSION = 'vb1';

export function normalizeUrl(url: string): string {
  const raw = url.trim();
  return plainNormalizedUrl(raw) ?? normalizeByParser(raw);
}

/** normalizeUrl through the WHATWG URL parser (every input; the reference for the fast path below). */
export function normalizeByParser(raw: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return normalizeRelative(raw);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return normalizeRelative(raw);
  }
  const names = [...new Set([...u.searchParams.keys()])].sort();
  const query = names.length > 0 ? `?${names.map((n) => encodeURIComponent(n)).join('&')}` : '';
  // URL already lower-cases scheme and host and drops the default port.
  const path = u.pathname === '' ? '/' : u.pathname;
  return `${u.protocol}//${u.host}${path}${query}`;
}

// The fast path (a report's URLs are nearly all of this kind, and the URL parser was a fifth of the
// parser thread's time): an http(s) URL in which the parser would rewrite nothing but the case of
// scheme and host, the default port and the fragment gives the same result from string operations.
// Anything else (IDN or punycode, a numeric last label the parser may read as IPv4, user info, dot
// segments, characters it percent-encodes, a parameter name it would decode) goes to the parser.
// fingerprint.test.ts holds the two to the same result over generated URLs.
const PLAIN_URL =
  /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::([1-9][0-9]{0,4}))?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*)?(?:\?([^#]*))?(?:#.*)?$/i;
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
const PLAIN_NAME = /^[A-Za-z0-9._~-]*$/;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

export function plainNormalizedUrl(raw: string): string | null {
  const m = PLAIN_URL.exec(raw);
  if (!m) return null;
  const scheme = (m[1] as string).toLowerCase();
  const host = (m[2] as string).toLowerCase();
  const port = m[3];
  const path = m[4] ?? '/';
  const lastLabel = host.slice(host.lastIndexOf('.') + 1);
  if (/^[0-9]/.test(lastLabel) || /(?:^|\.)xn--/.test(host)) return null;
  if (port !== undefined && Number(port) > 65_535) return null;
  if (DOT_SEGMENT.test(path)) return null;
  let query = '';
  if (m[5] !== undefined) {
    const names = plainParameterNames(m[5]);
    if (names === null) return null;
    if (names.length > 0) query = `?${names.join('&')}`;
  }
  const authority = port === undefined || port === DEFAULT_PORT[scheme] ? host : `${host}:${port}`;
  return `${scheme}://${authority}${path}${query}`;
}

/** The sorted distinct names of a query's parameters (as URLSearchParams splits it); null when one is not plain. */
function plainParameterNames(query: string): string[] | null {
  const names: string[] = [];
  for (let at = 0; at <= query.length; ) {
    let end = query.indexOf('&', at);
    if (end === -1) end = query.length;
    if (end > at) {
      const eq = query.indexOf('=', at);
      const name = query.slice(at, eq === -1 || eq > end ? end : eq);
      if (!PLAIN_NAME.test(name)) return null;
      names.push(name);
    }
    at = end + 1;
  }
  names.sort();
  return names.filter((name, i) => i === 0 || name !== names[i - 1]);
}

/** A URL without scheme (a path, `host:port`, a file path): query names sorted, fragment kept only for files. */
function normalizeRelative(raw: string): string {
  const q = raw.indexOf('?');
  if (q === -1) return raw;
  const hash = raw.indexOf('#', q);
  const query = raw.slice(q + 1, hash === -1 ? undefined : hash);
  const names = [
    ...new Set(
      query
        .split('&')
        .map((p) => p.split('=')[0] ?? '')
        .filter((n) => n !== ''),
    ),
  ].sort();
  return `${raw.slice(0, q)}${names.length > 0 ? `?${names.join('&')}` : ''}`;
}

/** 64 hex characters (SHA-256) over the normalised place; `extra` separates same-place duplicates. */
export function fingerprint(parts: FingerprintParts, extra?: string): string {
  // One string, one-shot hash (no Hash object): hashing is a visible part of parsing 100,000 findings.
  const text = `${FINGERPRINT_VERSION}\u0000${parts.ruleKey}\u0000${parts.method.toUpperCase()}\u0000${normalizeUrl(parts.url)}\u0000${parts.parameter}`;
  return hash('sha256', extra === undefined ? text : `${text}\u0001${extra}`, 'hex');
}

/**
 * Gives each finding of one report a distinct fingerprint. The first finding at a place gets the plain
 * fingerprint; a later one at the same place is told apart by its evidence/attack (stable across scans
 * when the tool reports the same evidence), and only as a last resort by its rank among identical ones.
 */
export class FingerprintAssigner {
  private readonly seen = new Set<string>();

  /** `plain` is fingerprint(parts), when the caller has it already. */
  assign(parts: FingerprintParts, discriminator: string, plain = fingerprint(parts)): string {
    if (!this.seen.has(plain)) return this.take(plain);
    const withEvidence = fingerprint(parts, discriminator);
    if (!this.seen.has(withEvidence)) return this.take(withEvidence);
    for (let n = 2; ; n++) {
      const ranked = fingerprint(parts, `${discriminator}\u0000#${n}`);
      if (!this.seen.has(ranked)) return this.take(ranked);
    }
  }

  private take(fp: string): string {
    this.seen.add(fp);
    return fp;
  }
}

export const PUBLIC_ID_PATTERN = /^VB-[A-Z]{6}[0-9]{6}$/;

export function isPublicId(value: string): boolean {
  return PUBLIC_ID_PATTERN.test(value);
}

/**
 * The public ID of a finding identity within its target: `VB-` + 6 capital letters + 6 digits, derived
 * from (targetId, fingerprint) so it is the same on every import. The space is 26^6·10^6 ≈ 3·10^14, so a
 * collision with another identity is rare but possible: the caller, on a unique-constraint violation,
 * calls again with attempt 1, 2, … (each attempt is just as deterministic).
 */
export function publicId(targetId: string | number, fingerprintHex: string, attempt = 0): string {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError('attempt must be a non-negative integer');
  const digest = hash(
    'sha256',
    `vb-public-id\u0000${String(targetId)}\u0000${fingerprintHex}\u0000${attempt}`,
    'buffer',
  );
  let letters = '';
  for (let i = 0; i < 6; i++) letters += String.fromCharCode(65 + (digest.readUInt32BE(i * 4) % 26));
  const digits = String(digest.readUInt32BE(24) % 1_000_000).padStart(6, '0');
  return `VB-${letters}${digits}`;
}
