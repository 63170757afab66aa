// The sandbox's in-memory records. Plain data only, so the whole state can be saved as JSON.

export const AccessLevel = {
  none: 0,
  minimal: 5,
  guest: 10,
  planner: 15,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
} as const;

export type Visibility = 'private' | 'internal' | 'public';

export interface UserRecord {
  id: number;
  username: string;
  name: string;
  email: string;
  password: string;
  admin: boolean;
  createdAt: number;
}

export interface GroupRecord {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
  description: string;
  visibility: Visibility;
  createdAt: number;
}

export interface ProjectRecord {
  id: number;
  name: string;
  path: string;
  description: string;
  /** Group id, or null for a user namespace project. */
  groupId: number | null;
  /** Owner of a personal project (user namespace). */
  ownerUserId: number | null;
  visibility: Visibility;
  createdAt: number;
  lastActivityAt: number;
  nextIssueIid: number;
  nextMilestoneIid: number;
}

export interface MemberRecord {
  userId: number;
  sourceType: 'group' | 'project';
  sourceId: number;
  accessLevel: number;
  createdAt: number;
}

export interface LabelRecord {
  id: number;
  projectId: number;
  name: string;
  color: string;
  description: string | null;
  priority: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface MilestoneRecord {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: 'active' | 'closed';
  dueDate: string | null;
  startDate: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface IssueRecord {
  id: number;
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  authorId: number;
  assigneeIds: number[];
  labelIds: number[];
  milestoneId: number | null;
  dueDate: string | null;
  confidential: boolean;
  discussionLocked: boolean | null;
  issueType: string;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  closedById: number | null;
  updatedById: number | null;
  lastEditedAt: number | null;
  lastEditedById: number | null;
}

export interface NoteRecord {
  id: number;
  projectId: number;
  issueId: number;
  authorId: number;
  body: string;
  system: boolean;
  internal: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface HookRecord {
  id: number;
  uuid: string;
  projectId: number;
  url: string;
  name: string;
  description: string;
  token: string;
  pushEvents: boolean;
  issuesEvents: boolean;
  confidentialIssuesEvents: boolean;
  noteEvents: boolean;
  confidentialNoteEvents: boolean;
  mergeRequestsEvents: boolean;
  tagPushEvents: boolean;
  enableSslVerification: boolean;
  customHeaders: { key: string; value: string }[];
  createdAt: number;
  /** Consecutive failed deliveries (drives auto-disable). */
  recentFailures: number;
  backoffCount: number;
  disabledUntil: number | null;
  permanentlyDisabled: boolean;
}

export interface HookEventRecord {
  id: number;
  hookId: number;
  url: string;
  trigger: string;
  eventName: string;
  idempotencyKey: string;
  eventUuid: string;
  requestHeaders: Record<string, string>;
  requestData: unknown;
  responseHeaders: Record<string, string>;
  responseBody: string;
  responseStatus: string;
  executionDuration: number;
  createdAt: number;
}

export interface PersonalTokenRecord {
  id: number;
  userId: number;
  name: string;
  token: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
  revoked: boolean;
}

export interface OAuthAppRecord {
  id: number;
  name: string;
  uid: string;
  secret: string;
  redirectUris: string[];
  scopes: string[];
  confidential: boolean;
  createdAt: number;
}

export interface OAuthGrantRecord {
  code: string;
  appId: number;
  userId: number;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: 'plain' | 'S256' | null;
  createdAt: number;
  used: boolean;
}

export interface OAuthTokenRecord {
  id: number;
  appId: number;
  userId: number;
  accessToken: string;
  refreshToken: string;
  scopes: string[];
  createdAt: number;
  expiresIn: number;
  revokedAt: number | null;
}

export interface TodoRecord {
  id: number;
  userId: number;
  authorId: number;
  projectId: number;
  issueId: number;
  noteId: number | null;
  actionName: 'mentioned' | 'directly_addressed' | 'assigned';
  body: string;
  state: 'pending' | 'done';
  createdAt: number;
}

export interface ReferenceRecord {
  /** `issue` is `#1` or `group/project#1` (value `path#1`); the kinds the sandbox has no objects for
   * (merge_request, snippet, epic, wiki) are recorded as parsed, for GitLab would link them if they existed. */
  kind: 'user' | 'all' | 'issue' | 'label' | 'milestone' | 'merge_request' | 'snippet' | 'epic' | 'wiki';
  value: string;
  projectId: number;
  issueId: number;
  noteId: number | null;
  authorId: number;
  createdAt: number;
}

export interface SandboxData {
  version: 1;
  nextId: Record<string, number>;
  users: UserRecord[];
  groups: GroupRecord[];
  projects: ProjectRecord[];
  members: MemberRecord[];
  labels: LabelRecord[];
  milestones: MilestoneRecord[];
  issues: IssueRecord[];
  notes: NoteRecord[];
  hooks: HookRecord[];
  hookEvents: HookEventRecord[];
  personalTokens: PersonalTokenRecord[];
  oauthApps: OAuthAppRecord[];
  oauthGrants: OAuthGrantRecord[];
  oauthTokens: OAuthTokenRecord[];
  todos: TodoRecord[];
  references: ReferenceRecord[];
}
