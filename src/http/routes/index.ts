// The route table: every HTTP endpoint, one file each.
import type { RouteModule } from '../context.ts';
import { exportAuditEventsRoute } from './audit/export-audit-events.ts';
import { listAuditEventsRoute } from './audit/list-audit-events.ts';
import { getSession } from './auth/get-session.ts';
import { listOrganizationsRoute } from './auth/list-organizations.ts';
import { signIn } from './auth/sign-in.ts';
import { signOut } from './auth/sign-out.ts';
import { switchOrganizationRoute } from './auth/switch-organization.ts';
import { acceptInvitationRoute } from './invitations/accept-invitation.ts';
import { createInvitationRoute } from './invitations/create-invitation.ts';
import { listInvitationsRoute } from './invitations/list-invitations.ts';
import { previewInvitationRoute } from './invitations/preview-invitation.ts';
import { revokeInvitationRoute } from './invitations/revoke-invitation.ts';
import { listCommentsRoute } from './comments/list-comments.ts';
import { createCommentRoute } from './comments/create-comment.ts';
import { getConnectionRoute } from './gitlab/get-connection.ts';
import { connectTokenRoute } from './gitlab/connect-token.ts';
import { disconnectRoute } from './gitlab/delete-connection.ts';
import { listInstancesRoute } from './gitlab/list-instances.ts';
import { createInstanceRoute } from './gitlab/create-instance.ts';
import { deleteInstanceRoute } from './gitlab/delete-instance.ts';
import { startAuthorizeRoute } from './gitlab/start-authorize.ts';
import { oauthCallbackRoute } from './gitlab/oauth-callback.ts';
import { listProjectsRoute } from './gitlab/list-projects.ts';
import { linkProjectRoute } from './gitlab/link-project.ts';
import { getProjectLinkRoute } from './gitlab/get-project-link.ts';
import { getEventsRoute } from './events/get-events.ts';
import { getHealth } from './health/get-health.ts';
import { getIssueOptionsRoute } from './issues/get-issue-options.ts';
import { listCreatedIssuesRoute } from './issues/list-created-issues.ts';
import { refreshCreatedIssuesRoute } from './issues/refresh-created-issues.ts';
import { createPushRoute } from './pushes/create-push.ts';
import { getPushRoute } from './pushes/get-push.ts';
import { listPushesRoute } from './pushes/list-pushes.ts';
import { retryPushItemRoute } from './pushes/retry-push-item.ts';
import { listJobsRoute } from './jobs/list-jobs.ts';
import { retryJobRoute } from './jobs/retry-job.ts';
import { deleteMemberRoute } from './members/delete-member.ts';
import { listMembersRoute } from './members/list-members.ts';
import { updateMemberRoute } from './members/update-member.ts';
import { getFindingRoute } from './scans/get-finding.ts';
import { getScanRoute } from './scans/get-scan.ts';
import { exportScanRoute } from './scans/export-scan.ts';
import { listFindingsRoute } from './scans/list-findings.ts';
import { listTargetScansRoute } from './scans/list-target-scans.ts';
import { listScansRoute } from './scans/list-scans.ts';
import { revealFindingRoute } from './scans/reveal-finding.ts';
import { uploadScanRoute } from './scans/upload-scan.ts';
import { getSettingsRoute } from './settings/get-settings.ts';
import { updateSettingsRoute } from './settings/update-settings.ts';
import { getSetup } from './setup/get-setup.ts';
import { postSetup } from './setup/post-setup.ts';
import { createTargetRoute } from './targets/create-target.ts';
import { deleteTargetRoute } from './targets/delete-target.ts';
import { getTargetRoute } from './targets/get-target.ts';
import { listTargetsRoute } from './targets/list-targets.ts';
import { updateTargetRoute } from './targets/update-target.ts';
import { createTokenRoute } from './tokens/create-token.ts';
import { deleteTokenRoute } from './tokens/delete-token.ts';
import { listTokensRoute } from './tokens/list-tokens.ts';

export const routes: RouteModule[] = [
  getHealth,
  getSetup,
  postSetup,
  signIn,
  signOut,
  getSession,
  listOrganizationsRoute,
  switchOrganizationRoute,
  listTargetsRoute,
  createTargetRoute,
  getTargetRoute,
  updateTargetRoute,
  deleteTargetRoute,
  listMembersRoute,
  updateMemberRoute,
  deleteMemberRoute,
  listInvitationsRoute,
  createInvitationRoute,
  revokeInvitationRoute,
  previewInvitationRoute,
  acceptInvitationRoute,
  listTokensRoute,
  createTokenRoute,
  deleteTokenRoute,
  listJobsRoute,
  retryJobRoute,
  uploadScanRoute,
  listTargetScansRoute,
  listScansRoute,
  getScanRoute,
  exportScanRoute,
  listFindingsRoute,
  getFindingRoute,
  revealFindingRoute,
  listInstancesRoute,
  createInstanceRoute,
  deleteInstanceRoute,
  getConnectionRoute,
  connectTokenRoute,
  disconnectRoute,
  startAuthorizeRoute,
  oauthCallbackRoute,
  listProjectsRoute,
  linkProjectRoute,
  getProjectLinkRoute,
  createPushRoute,
  getPushRoute,
  listPushesRoute,
  retryPushItemRoute,
  listCreatedIssuesRoute,
  refreshCreatedIssuesRoute,
  getIssueOptionsRoute,
  getSettingsRoute,
  updateSettingsRoute,
  listCommentsRoute,
  createCommentRoute,
  getEventsRoute,
  listAuditEventsRoute,
  exportAuditEventsRoute,
];
