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

/**
 * An avatar URL the page may load: the server's Content-Security-Policy allows images over https only,
 * so an http avatar (a GitLab on the company network) falls back to initials instead of a blocked load.
 */
export function safeAvatar(url: string | null): string | null {
  return url?.startsWith('https:') ? url : null;
}

export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts.at(-1)![0]] : [parts[0]?.[0]];
  return letters.join('').toUpperCase() || '?';
}
