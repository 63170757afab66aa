import type { Env } from '../config/index.ts';
import type { SecretBox } from '../crypto/index.ts';
import type { Db } from '../db/index.ts';
import { createGuardedFetch, parseAllowedHosts } from './ssrf.ts';
import { TokenProvider } from './token-provider.ts';

/** What work that talks to GitLab (pushes, sync, reconciliation) needs besides the database. */
export interface GitlabDeps {
  env: Env;
  secretBox: SecretBox;
  gitlab: { fetch: typeof fetch; tokens: TokenProvider };
}

/** The GitLab transport (SSRF-guarded) and the token provider over it; one per process, shared by the
 * HTTP routes and the worker so refreshes are single-flight in the process too. */
export function createGitlabDeps(
  db: Db,
  env: Env,
  secretBox: SecretBox,
  fetchImpl?: typeof fetch,
): { fetch: typeof fetch; tokens: TokenProvider } {
  const fetchFn = fetchImpl ?? createGuardedFetch(parseAllowedHosts(env.GITLAB_ALLOWED_HOSTS));
  return { fetch: fetchFn, tokens: new TokenProvider({ db: db.kysely, box: secretBox, env, fetch: fetchFn }) };
}
