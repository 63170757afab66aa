// The SSRF guard for GitLab instance URLs (DESIGN §6): https only, and only public addresses, unless the
// operator allow-lists the host and port in GITLAB_ALLOWED_HOSTS (`host:port`, or `host` for the scheme's
// default port only: 80 for http, 443 for https). The address check runs
// on every connection, on the address actually dialled (so DNS rebinding cannot slip past it), and
// redirects are never followed.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { DomainError } from '../lib/index.ts';

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

/** GITLAB_ALLOWED_HOSTS as normalised `host` or `host:port` entries (names lower-cased, IPv6 in brackets). */
export function parseAllowedHosts(value: string): string[] {
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
    .map(normaliseEntry);
}

function normaliseEntry(entry: string): string {
  // A bare IPv6 address (more than one colon, no brackets) has no port.
  if (!entry.startsWith('[') && isIP(entry) === 6) return `[${normaliseHost(entry)}]`;
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match?.[1]) return entry;
  const host = normaliseHost(match[1].replace(/^\[|\]$/g, ''));
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  return match[2] === undefined ? bracketed : `${bracketed}:${Number(match[2])}`;
}

/** A host as URL parsing writes it (IPv6 compressed, without brackets). */
function normaliseHost(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '');
  try {
    return new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return bare.toLowerCase();
  }
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** True when `host:port` (the port by scheme when none is written) is in the allow-list. An entry without
 * a port allows the scheme's default port only: `gitlab.corp` is https://gitlab.corp and http://gitlab.corp,
 * not https://gitlab.corp:8443. */
export function isAllowedEndpoint(
  hostname: string,
  port: number | string | null | undefined,
  protocol: string,
  allowed: string[],
): boolean {
  const host = normaliseHost(hostname);
  const listed = isIP(host) === 6 ? `[${host}]` : host;
  const defaultPort = DEFAULT_PORTS[protocol];
  const effective = port === '' || port === null || port === undefined ? defaultPort : Number(port);
  if (effective === undefined || !Number.isInteger(effective)) return false;
  return allowed.includes(`${listed}:${effective}`) || (effective === defaultPort && allowed.includes(listed));
}

export function isAllowedOrigin(url: URL, allowed: string[]): boolean {
  return isAllowedEndpoint(url.hostname, url.port, url.protocol, allowed);
}

/** Check an instance URL's shape; returns it normalised (no trailing slash, no query or fragment). */
export function checkInstanceUrl(raw: string, allowed: string[]): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DomainError('invalid_request', `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.username || url.password)
    throw new DomainError('invalid_request', 'the GitLab URL must not contain a user name or password');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new DomainError('invalid_request', 'the GitLab URL must use https');
  if (url.protocol === 'http:' && !isAllowedOrigin(url, allowed)) {
    throw new DomainError(
      'invalid_request',
      `the GitLab URL must use https (http is allowed only for host:port pairs in GITLAB_ALLOWED_HOSTS; ${url.host} is not)`,
    );
  }
  if (
    isIP(url.hostname.replace(/^\[|\]$/g, '')) &&
    isNonPublicAddress(url.hostname.replace(/^\[|\]$/g, '')) &&
    !isAllowedOrigin(url, allowed)
  ) {
    throw new DomainError(
      'invalid_request',
      `${url.host} is a private or loopback address; add it (with its port) to GITLAB_ALLOWED_HOSTS to allow it`,
    );
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export class SsrfBlockedError extends Error {
  override name = 'SsrfBlockedError';
}

/** A DNS lookup for the connector: for an origin that is not allow-listed, every address must be public. */
function guardedLookup(originAllowed: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const bad = addresses.find((a) => isNonPublicAddress(a.address));
      if (bad && !originAllowed) {
        return callback(
          new SsrfBlockedError(
            `${hostname} resolves to ${bad.address}, a private or loopback address; add the host and port to GITLAB_ALLOWED_HOSTS to allow it`,
          ),
        );
      }
      if (options?.all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(new Error(`${hostname} has no address`));
    });
  };
}

type ConnectOptions = { hostname: string; port: string | number; protocol: string };
type Connect = (options: ConnectOptions, callback: (error: Error | null, socket: unknown) => void) => void;

/** A fetch that dials only public addresses (or allow-listed host:port pairs) and never follows redirects.
 * The check runs in the connector, on the host, port and scheme actually dialled: an address literal is
 * checked as it is, a name on every address it resolves to (the addresses checked are the ones dialled). */
export function createGuardedFetch(allowed: string[]): typeof fetch {
  // Two connectors: a name of an allow-listed host:port may resolve to a private address, any other may not.
  const listed = buildConnector({ lookup: guardedLookup(true) } as never) as unknown as Connect;
  const strict = buildConnector({ lookup: guardedLookup(false) } as never) as unknown as Connect;
  const connect: Connect = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    const originAllowed = isAllowedEndpoint(host, options.port, options.protocol, allowed);
    if (isIP(host) && isNonPublicAddress(host) && !originAllowed) {
      const where = `${isIP(host) === 6 ? `[${host}]` : host}:${options.port || DEFAULT_PORTS[options.protocol]}`;
      callback(
        new SsrfBlockedError(`${where} is a private or loopback address; add it to GITLAB_ALLOWED_HOSTS to allow it`),
        null,
      );
      return;
    }
    (originAllowed ? listed : strict)(options, callback);
  };
  const agent = new Agent({ connect: connect as never });
  const guarded = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    if (url.protocol === 'http:' && !isAllowedOrigin(url, allowed))
      throw new SsrfBlockedError(`refusing plain http to ${url.host}`);
    const response = await undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher: agent } as never);
    if (response.status >= 300 && response.status < 400) {
      throw new SsrfBlockedError(
        `GitLab answered a redirect (${response.status} to ${response.headers.get('location') ?? '?'}); redirects are not followed`,
      );
    }
    return response as unknown as Response;
  };
  return guarded as typeof fetch;
}
