import type { GitlabConnectionInfo, ProjectLinkInfo } from '../../../contracts/index.ts';
import type { GitlabConnection, ProjectLink } from '../../../db/index.ts';
import { accessName } from '../../../gitlab/index.ts';

/** A connection as the API shows it: who and where, never a token. */
export const toConnectionInfo = (c: GitlabConnection): GitlabConnectionInfo => ({
  id: c.id,
  instanceId: c.instance_id,
  baseUrl: c.base_url,
  authKind: c.auth_kind,
  user: {
    id: Number(c.gitlab_user_id),
    username: c.gitlab_username,
    name: c.gitlab_name,
    avatarUrl: c.gitlab_avatar_url,
  },
  status: c.status,
  statusReason: c.status_reason,
  expiresAt: c.expires_at,
  connectedAt: c.created_at,
  updatedAt: c.updated_at,
});

export const toProjectLinkInfo = (l: ProjectLink): ProjectLinkInfo => ({
  id: l.id,
  scanId: l.scan_id,
  projectId: Number(l.project_id),
  projectPath: l.project_path,
  projectWebUrl: l.project_web_url,
  accessLevel: Number(l.access_level),
  accessName: accessName(Number(l.access_level)),
  syncMode: l.sync_mode,
  syncReason: l.sync_reason,
  confidentialByDefault: Number(l.confidential_default) === 1,
});
