// The secret ledger of a test run (issue #9, "secrets never leak"). When VB_SECRET_LEDGER_DIR is set
// (`npm test` sets it), every secret the sandbox issues or is given is appended to a JSON-lines file
// there, one `{"kind","value"}` a line; the test clients add the hub's own (passwords, session
// cookies, API tokens, the secret key). scripts/secret-scan.ts then searches the captured logs, API
// responses and pages for each value. Unset (the demo, a plain `npx vitest run`): nothing happens.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './state/store.ts';

export type SecretKind =
  | 'gitlab-access-token'
  | 'gitlab-refresh-token'
  | 'gitlab-pat'
  | 'gitlab-oauth-client-secret'
  | 'gitlab-authorization-code'
  | 'gitlab-webhook-secret'
  | 'gitlab-password'
  | 'hub-password'
  | 'hub-session'
  | 'hub-api-token'
  | 'hub-invitation-token'
  | 'hub-secret-key'
  | 'client-supplied-secret'
  /** A credential inside a scan report's finding (masked by the API unless revealed). */
  | 'scanner-secret';

let madeDir = '';

/** Appends one secret to this process's ledger file (a no-op without VB_SECRET_LEDGER_DIR). */
export function recordSecret(kind: SecretKind, value: string | null | undefined): void {
  const dir = process.env.VB_SECRET_LEDGER_DIR;
  if (!dir || !value) return;
  if (madeDir !== dir) {
    mkdirSync(dir, { recursive: true });
    madeDir = dir;
  }
  appendFileSync(join(dir, `ledger-${process.pid}.jsonl`), `${JSON.stringify({ kind, value })}\n`);
}

/** Everything secret a freshly loaded state already holds (seeded or saved): PATs, app secrets, passwords, tokens, hook secrets. */
export function recordStoreSecrets(store: Store): void {
  if (!process.env.VB_SECRET_LEDGER_DIR) return;
  const data = store.data;
  for (const u of data.users) recordSecret('gitlab-password', u.password);
  for (const t of data.personalTokens) recordSecret('gitlab-pat', t.token);
  for (const a of data.oauthApps) recordSecret('gitlab-oauth-client-secret', a.secret);
  for (const g of data.oauthGrants) recordSecret('gitlab-authorization-code', g.code);
  for (const t of data.oauthTokens) {
    recordSecret('gitlab-access-token', t.accessToken);
    recordSecret('gitlab-refresh-token', t.refreshToken);
  }
  for (const h of data.hooks) recordSecret('gitlab-webhook-secret', h.token);
}
