// Access tokens for a connection, refreshed ahead of expiry. GitLab rotates both tokens on refresh and
// refuses the old refresh token at once, so a refresh is single-flight per connection: in this process
// through a promise map, across processes through a lease on the row (compare-and-swap on
// token_version). The process that loses waits for the winner's tokens instead of refreshing again.
import type { Kysely } from 'kysely';
import type { Env } from '../config/index.ts';
import type { SecretBox } from '../crypto/index.ts';
import { type Database, type GitlabConnection, nowIso } from '../db/index.ts';
import { GitlabClient } from './client.ts';
import { loadConnection, markReconnectNeeded, openAccessToken, openRefreshToken, sealTokens } from './connections.ts';
import { GitlabError } from './errors.ts';
import { resolveInstance, toOAuthApp } from './instances.ts';
import { refreshTokens } from './oauth.ts';

export const REFRESH_MARGIN_MS = 5 * 60_000;
const LEASE_MS = 30_000;

export class ReconnectNeededError extends Error {
  override name = 'ReconnectNeededError';
}

export interface TokenProviderDeps {
  db: Kysely<Database>;
  box: SecretBox;
  env: Env;
  fetch: typeof fetch;
}

export class TokenProvider {
  private readonly inflight = new Map<string, Promise<string>>();
  /** Refresh calls this process made at GitLab (for tests and metrics). */
  refreshCalls = 0;

  constructor(private readonly deps: TokenProviderDeps) {}

  /** A valid access token, refreshed first when it expires within the margin. */
  accessToken(connectionId: string): Promise<string> {
    return this.singleFlight(connectionId, () => this.ensureFresh(connectionId, null));
  }

  /** After GitLab refused `staleToken` (401): refresh unless someone already replaced it. */
  refreshAfterRejection(connectionId: string, staleToken: string): Promise<string> {
    return this.singleFlight(connectionId, () => this.ensureFresh(connectionId, staleToken));
  }

  /** A client for the connection: a 401 triggers one refresh and one more try; a 401 that survives the
   * refresh marks the connection "reconnect needed". */
  async client(connectionId: string): Promise<{ client: GitlabClient; connection: GitlabConnection }> {
    const connection = await this.read(connectionId);
    let lastToken = '';
    const client = new GitlabClient({
      baseUrl: connection.base_url,
      fetch: this.deps.fetch,
      token: async () => {
        lastToken = await this.accessToken(connectionId);
        return lastToken;
      },
    });
    const original = client.http.request.bind(client.http);
    client.http.request = async <T>(...args: Parameters<typeof original>) => {
      try {
        return await original<T>(...args);
      } catch (error) {
        if (!(error instanceof GitlabError) || error.failure !== 'unauthorized') throw error;
        await this.refreshAfterRejection(connectionId, lastToken);
        try {
          return await original<T>(...args);
        } catch (again) {
          if (again instanceof GitlabError && again.failure === 'unauthorized') {
            await markReconnectNeeded(
              this.deps.db,
              connectionId,
              'GitLab refused the token even after a refresh; the grant was probably revoked',
            );
            throw new ReconnectNeededError('the GitLab connection needs to be reconnected');
          }
          throw again;
        }
      }
    };
    return { client, connection };
  }

  private singleFlight(connectionId: string, work: () => Promise<string>): Promise<string> {
    const running = this.inflight.get(connectionId);
    if (running) return running;
    const promise = work().finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, promise);
    return promise;
  }

  private async read(connectionId: string): Promise<GitlabConnection> {
    const row = await loadConnection(this.deps.db, connectionId);
    if (!row) throw new ReconnectNeededError('the GitLab connection no longer exists');
    if (row.status === 'reconnect_needed')
      throw new ReconnectNeededError(
        `the GitLab connection needs to be reconnected: ${row.status_reason ?? ''}`.trim(),
      );
    return row;
  }

  private async ensureFresh(connectionId: string, staleToken: string | null): Promise<string> {
    for (;;) {
      const row = await this.read(connectionId);
      const current = openAccessToken(this.deps.box, row);
      if (staleToken !== null && current !== staleToken) return current; // someone refreshed already
      const expiresSoon = row.expires_at !== null && Date.parse(row.expires_at) - Date.now() < REFRESH_MARGIN_MS;
      if (staleToken === null && !expiresSoon) return current;
      if (row.auth_kind === 'access_token' || !row.refresh_token_enc) {
        if (staleToken === null && row.expires_at === null) return current;
        await markReconnectNeeded(
          this.deps.db,
          connectionId,
          row.auth_kind === 'access_token'
            ? 'the access token was refused or has expired; enter a new one'
            : 'the token expired and there is no refresh token',
        );
        throw new ReconnectNeededError('the GitLab connection needs to be reconnected');
      }
      if (await this.takeLease(row)) return this.refresh(row);
      await this.waitForOtherRefresh(row);
    }
  }

  private async takeLease(row: GitlabConnection): Promise<boolean> {
    const now = nowIso();
    const result = await this.deps.db
      .updateTable('gitlab_connections')
      .set({ refreshing_until: nowIso(LEASE_MS) })
      .where('id', '=', row.id)
      .where('token_version', '=', row.token_version)
      .where((eb) => eb.or([eb('refreshing_until', 'is', null), eb('refreshing_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async waitForOtherRefresh(row: GitlabConnection): Promise<void> {
    const deadline = Date.now() + LEASE_MS + 5000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await loadConnection(this.deps.db, row.id);
      if (
        !now ||
        now.token_version !== row.token_version ||
        now.status !== 'connected' ||
        !now.refreshing_until ||
        now.refreshing_until < nowIso()
      )
        return;
    }
  }

  private async refresh(row: GitlabConnection): Promise<string> {
    const instance = await resolveInstance(
      this.deps.db,
      this.deps.env,
      this.deps.box,
      row.organization_id,
      row.instance_id,
    );
    const refreshToken = openRefreshToken(this.deps.box, row) ?? '';
    this.refreshCalls++;
    try {
      const tokens = await refreshTokens(this.deps.fetch, toOAuthApp(instance), refreshToken);
      const result = await this.deps.db
        .updateTable('gitlab_connections')
        .set({
          ...sealTokens(this.deps.box, row.id, tokens),
          token_version: Number(row.token_version) + 1,
          refreshing_until: null,
          updated_at: nowIso(),
        })
        .where('id', '=', row.id)
        .where('token_version', '=', row.token_version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Error('the connection changed while refreshing its token');
      return tokens.accessToken;
    } catch (error) {
      if (error instanceof GitlabError && !error.transient) {
        const latest = await loadConnection(this.deps.db, row.id);
        if (latest && latest.token_version !== row.token_version && latest.status === 'connected')
          return openAccessToken(this.deps.box, latest);
        await markReconnectNeeded(this.deps.db, row.id, `GitLab refused to refresh the token: ${error.message}`);
        throw new ReconnectNeededError('the GitLab connection needs to be reconnected');
      }
      await this.deps.db
        .updateTable('gitlab_connections')
        .set({ refreshing_until: null })
        .where('id', '=', row.id)
        .where('token_version', '=', row.token_version)
        .execute();
      throw error;
    }
  }
}
