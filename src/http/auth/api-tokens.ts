// API tokens for the CLI and CI: `vbt_<secret>`, stored as sha256, scoped to one organization, to a role no
// higher than their creator's and to one or more scopes (read, write, admin; access.ts enforces them),
// revocable, optionally expiring. Tokens are made and revoked only from a signed-in session (the routes
// say so), so a token can never mint another.
import type { Kysely } from 'kysely';
import { type ApiToken, type RoleName, TOKEN_SCOPES, type TokenScope } from '../../contracts/index.ts';
import { randomToken, sha256 } from '../../crypto/index.ts';
import { type Database, newId, nowIso, type Role } from '../../db/index.ts';
import { DomainError, notFound } from '../../lib/index.ts';
import { recordAudit, ROLE_RANK } from '../../services/index.ts';

export const TOKEN_PREFIX = 'vbt_';

export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  userId: string;
  email: string;
  name: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  scopes: TokenScope[];
}

/** Stored as "read,write": known scopes only, in a fixed order. */
export function parseScopes(stored: string): TokenScope[] {
  const listed = stored.split(',').map((s) => s.trim());
  return TOKEN_SCOPES.filter((scope) => listed.includes(scope));
}
const storeScopes = (scopes: readonly TokenScope[]) => TOKEN_SCOPES.filter((scope) => scopes.includes(scope)).join(',');

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
};

const toApiToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  role: row.role,
  scopes: parseScopes(row.scopes),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export async function createApiToken(
  db: Kysely<Database>,
  actor: { organizationId: string; userId: string; role: Role },
  input: { name: string; role?: RoleName; scopes?: TokenScope[]; expiresInDays?: number },
): Promise<{ token: ApiToken; secret: string }> {
  const role = input.role ?? actor.role;
  if (ROLE_RANK[role] > ROLE_RANK[actor.role])
    throw new DomainError('forbidden', `a ${actor.role} cannot create a ${role} token`);
  if (role === 'owner' && actor.role !== 'owner')
    throw new DomainError('forbidden', 'only the Owner can create an Owner token');
  const scopes = storeScopes(input.scopes?.length ? input.scopes : ['read']);
  const secret = `${TOKEN_PREFIX}${randomToken(30)}`;
  const row = {
    id: newId(),
    organization_id: actor.organizationId,
    user_id: actor.userId,
    name: input.name,
    token_hash: sha256(secret),
    prefix: secret.slice(0, 10),
    role,
    scopes,
    created_at: nowIso(),
    last_used_at: null,
    expires_at: input.expiresInDays ? nowIso(input.expiresInDays * 86_400_000) : null,
    revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('api_tokens').values(row).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: row.id,
      details: { name: row.name, role, scopes: parseScopes(scopes), expiresAt: row.expires_at },
    });
  });
  return { token: toApiToken(row), secret };
}

export async function listApiTokens(db: Kysely<Database>, organizationId: string, userId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'role', 'scopes', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toApiToken);
}

export async function revokeApiToken(
  db: Kysely<Database>,
  actor: { organizationId: string; userId: string },
  id: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso() })
      .where('id', '=', id)
      .where('organization_id', '=', actor.organizationId)
      .where('user_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .returning(['name', 'role', 'scopes'])
      .executeTakeFirst();
    if (!revoked) throw notFound('API token');
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: id,
      details: { name: revoked.name, role: revoked.role, scopes: parseScopes(revoked.scopes) },
    });
  });
}

/** The principal for a presented token, or null when unknown, revoked, expired, or its member is gone.
 * The effective role is the lower of the token's and the member's current role. */
export async function findTokenPrincipal(db: Kysely<Database>, secret: string): Promise<TokenPrincipal | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .innerJoin('memberships', (join) =>
      join
        .onRef('memberships.user_id', '=', 'api_tokens.user_id')
        .onRef('memberships.organization_id', '=', 'api_tokens.organization_id'),
    )
    .innerJoin('organizations', 'organizations.id', 'api_tokens.organization_id')
    .select([
      'api_tokens.id',
      'api_tokens.role',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.disabled_at',
      'memberships.role as member_role',
      'organizations.id as organization_id',
      'organizations.name as organization_name',
    ])
    .where('api_tokens.token_hash', '=', sha256(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) return null;
  if (row.expires_at && row.expires_at <= nowIso()) return null;
  // Recorded at most once a minute per token: one conditional UPDATE, so concurrent requests do not pile up.
  if (!row.last_used_at || Date.parse(row.last_used_at) + 60_000 < Date.now()) {
    const staleBefore = nowIso(-60_000);
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: nowIso() })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
      .execute();
  }
  const role = ROLE_RANK[row.role] <= ROLE_RANK[row.member_role] ? row.role : row.member_role;
  return {
    kind: 'token',
    tokenId: row.id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    role,
    scopes: parseScopes(row.scopes),
  };
}
