// The OAuth authorization in flight: what the hub remembers (in a signed cookie) between Authorize and the callback.
export const OAUTH_COOKIE = 'vb_oauth';
export const STATE_TTL_MS = 10 * 60_000;

export interface PendingAuthorization {
  state: string;
  verifier: string;
  targetId: string;
  instanceId: string;
  sessionId: string;
  expiresAt: number;
}
