// The door of src/gitlab: the typed client, OAuth, tokens, instances, the picker and project links.
export {
  GitlabClient,
  type GitlabIssue,
  type GitlabNote,
  type GitlabProject,
  type GitlabUser,
  type NewIssue,
} from './client.ts';
export {
  connectionGroupKey,
  deleteConnection,
  findConnection,
  loadConnection,
  markReconnectNeeded,
  openAccessToken,
  openRefreshToken,
  saveConnection,
} from './connections.ts';
export { GitlabError, type GitlabFailure } from './errors.ts';
export {
  addInstance,
  CALLBACK_PATH,
  GITLAB_COM_ID,
  type InstanceInfo,
  listInstances,
  removeInstance,
  resolveInstance,
  type ResolvedInstance,
  toOAuthApp,
} from './instances.ts';
export { authorizeUrl, createPkce, exchangeCode, OAUTH_SCOPE, revokeToken, type TokenSet } from './oauth.ts';
export { accessName, findProjectLink, type LinkResult, linkProject, webhookUrl } from './project-links.ts';
export { listPickerProjects, type PickerProject, topMostGroups } from './projects.ts';
export { checkInstanceUrl, createGuardedFetch, isNonPublicAddress, parseAllowedHosts } from './ssrf.ts';
export { ReconnectNeededError, TokenProvider } from './token-provider.ts';
export { blockBudget, type BudgetDecision, takeBudget } from './rate-budget.ts';
export { createGitlabDeps, type GitlabDeps } from './deps.ts';
