// Reads behind the push screens: a scan's pushes, and the choices the Create Issue dialog offers.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { findConnection, findProjectLink, type TokenProvider } from '../gitlab/index.ts';
import { DomainError } from '../lib/index.ts';
import { dueDateFor, getScanRow, getSlaDays } from '../services/index.ts';
import { type PushSummary, summarizePush } from './push-vulnerability.ts';

/** The last 50 pushes of a scan, newest first. */
export async function listPushes(db: Kysely<Database>, organizationId: string, scanId: string): Promise<PushSummary[]> {
  await getScanRow(db, organizationId, scanId);
  const rows = await db
    .selectFrom('pushes')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('scan_id', '=', scanId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return Promise.all(rows.map((r) => summarizePush(db, organizationId, r.id)));
}

/** Assignees, milestones and defaults of the scan's GitLab project, read from GitLab now. */
export async function projectOptions(
  db: Kysely<Database>,
  tokens: TokenProvider,
  organizationId: string,
  scanId: string,
) {
  const scan = await getScanRow(db, organizationId, scanId);
  const link = await findProjectLink(db, organizationId, scan.target_id, scan.id);
  const connection = await findConnection(db, organizationId, scan.target_id);
  if (!link || !connection) throw new DomainError('conflict', 'choose the GitLab project for this scan first');
  const { client } = await tokens.client(connection.id);
  const [members, milestones] = await Promise.all([
    client.members(Number(link.project_id)),
    client.milestones(Number(link.project_id)),
  ]);
  const sla = await getSlaDays(db, organizationId);
  return {
    defaults: {
      confidential: Number(link.confidential_default) === 1,
      dueDates: Object.fromEntries(
        (['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => [s, dueDateFor(sla, s)]),
      ),
    },
    members: members.map((m) => ({
      id: m.id,
      username: m.username,
      name: m.name ?? m.username,
      avatarUrl: m.avatar_url ?? null,
      accessLevel: m.access_level,
    })),
    milestones: milestones.map((m) => ({ id: m.id, title: m.title })),
  };
}
