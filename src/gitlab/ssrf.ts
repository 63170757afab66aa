// The SSRF guard for GitLab instance URLs (DESIGN §6): https only, and only public addresses, unless the
// operator allow-lists the host in GITLAB_ALLOWED_HOSTS (`host` or `host:port`). The address check runs
// on every connection, on the address actually dialled (so DNS rebinding cannot slip past it), and
// redirects are never followed.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { DomainError } from '../lib/errors.ts';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, multicast, reserved and unspecified addresses. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

export function parseAllowedHosts(value: string): string[] {
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

function isAllowed(url: URL, allowed: string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowed.includes(host) || allowed.includes(`${host}:${port}`);
}

/** Check an instance URL's shape; returns it normalised (no trailing slash, no query or fragment). */
export function checkInstanceUrl(raw: string, allowed: string[]): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DomainError('invalid_request', `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.username || url.password) throw new DomainError('invalid_request', 'the GitLab URL must not contain a user name or password');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('invalid_request', 'the GitLab URL must use https');
  if (url.protocol === 'http:' && !isAllowed(url, allowed)) {
    throw new DomainError('invalid_request', `the GitLab URL must use https (http is allowed only for hosts in GITLAB_ALLOWED_HOSTS; ${url.host} is not)`);
  }
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) && isNonPublicAddress(url.hostname.replace(/^\[|\]$/g, '')) && !isAllowed(url, allowed)) {
    throw new DomainError('invalid_request', `${url.hostname} is a private or loopback address; add it to GITLAB_ALLOWED_HOSTS to allow it`);
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export class SsrfBlockedError extends Error {
  override name = 'SsrfBlockedError';
}

/** A fetch that dials only public addresses (or allow-listed hosts) and never follows redirects. */
export function createGuardedFetch(allowed: string[]): typeof fetch {
  const agent = new Agent({
    connect: {
      lookup(hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) {
        dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
          if (error) return callback(error);
          const hostAllowed = allowed.some((entry) => entry === hostname.toLowerCase() || entry.startsWith(`${hostname.toLowerCase()}:`));
          const bad = addresses.find((a) => isNonPublicAddress(a.address));
          if (bad && !hostAllowed) {
            return callback(new SsrfBlockedError(`${hostname} resolves to ${bad.address}, a private or loopback address; add the host to GITLAB_ALLOWED_HOSTS to allow it`));
          }
          if (options?.all) return callback(null, addresses);
          const first = addresses[0];
          return first ? callback(null, first.address, first.family) : callback(new Error(`${hostname} has no address`));
        });
      },
    } as never,
  });
  const guarded = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    if (url.protocol === 'http:' && !isAllowed(url, allowed)) throw new SsrfBlockedError(`refusing plain http to ${url.host}`);
    const response = await undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher: agent } as never);
    if (response.status >= 300 && response.status < 400) {
      throw new SsrfBlockedError(`GitLab answered a redirect (${response.status} to ${response.headers.get('location') ?? '?'}); redirects are not followed`);
    }
    return response as unknown as Response;
  };
  return guarded as typeof fetch;
}
