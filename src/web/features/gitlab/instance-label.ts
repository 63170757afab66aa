import type { GitlabConnectionInfo, GitlabInstanceInfo } from '../../../contracts/index.ts';

/** The host (and path prefix) of a GitLab URL, for people: `gitlab.example.com/gitlab`. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

/** The instance a connection goes to, by its name when the organization has it registered. */
export function instanceLabel(connection: GitlabConnectionInfo, instances: GitlabInstanceInfo[]): string {
  const instance = instances.find((item) => item.id === connection.instanceId);
  return instance ? instance.name : hostOf(connection.baseUrl);
}

/** Avatar services that would learn who looks at the page (an e-mail hash in the URL). */
const TRACKING_AVATAR_HOSTS = /(^|\.)(gravatar\.com|libravatar\.org)$/i;

/**
 * An avatar URL the page may load: the server's Content-Security-Policy allows images over https only,
 * so an http avatar (a GitLab on the company network) falls back to initials instead of a blocked load;
 * so does a gravatar.com (or libravatar) URL, which GitLab gives users without an uploaded avatar: the
 * page never asks a third party.
 */
export function safeAvatar(url: string | null): string | null {
  if (!url?.startsWith('https:')) return null;
  try {
    return TRACKING_AVATAR_HOSTS.test(new URL(url).hostname) ? null : url;
  } catch {
    return null;
  }
}

export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts.at(-1)![0]] : [parts[0]?.[0]];
  return letters.join('').toUpperCase() || '?';
}
