// Created Issues of a scan: every GitLab issue created or adopted for its findings, as last synced, and a
// refresh that brings them up to date in batches of 100 iids per call.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { findConnection, type GitlabIssue, type TokenProvider } from '../gitlab/index.ts';
import { DomainError } from '../lib/index.ts';
import { getScanRow } from '../services/index.ts';
import { issueColumns } from './issue-reservation.ts';
import { syncIssue } from './sync-issue.ts';

export interface CreatedIssue {
  trackedIssueId: string;
  findingId: string;
  publicId: string;
  vulnerabilityId: string;
  vulnerabilityName: string;
  severity: string;
  projectPath: string;
  iid: number;
  webUrl: string;
  title: string;
  state: 'opened' | 'closed' | 'deleted';
  assignees: { id: number; username: string; name: string; avatarUrl: string | null }[];
  labels: string[];
  origin: 'created' | 'adopted';
  syncedAt: string | null;
}

export async function listCreatedIssues(
  db: Kysely<Database>,
  organizationId: string,
  scanId: string,
): Promise<CreatedIssue[]> {
  const scan = await getScanRow(db, organizationId, scanId);
  const rows = await db
    .selectFrom('findings')
    .innerJoin('tracked_issues', 'tracked_issues.identity_id', 'findings.identity_id')
    .innerJoin('vulnerabilities', 'vulnerabilities.id', 'findings.vulnerability_id')
    .select([
      'tracked_issues.id as tracked_id',
      'findings.id as finding_id',
      'findings.public_id',
      'vulnerabilities.id as vulnerability_id',
      'vulnerabilities.name as vulnerability_name',
      'vulnerabilities.severity',
      'tracked_issues.project_path',
      'tracked_issues.iid',
      'tracked_issues.web_url',
      'tracked_issues.title',
      'tracked_issues.state',
      'tracked_issues.assignees',
      'tracked_issues.labels',
      'tracked_issues.origin',
      'tracked_issues.synced_at',
    ])
    .where('findings.scan_id', '=', scan.id)
    .where('findings.organization_id', '=', organizationId)
    .where('tracked_issues.state', '!=', 'creating')
    .orderBy('tracked_issues.project_path')
    .orderBy('tracked_issues.iid')
    .execute();
  return rows.map((r) => ({
    trackedIssueId: r.tracked_id,
    findingId: r.finding_id,
    publicId: r.public_id,
    vulnerabilityId: r.vulnerability_id,
    vulnerabilityName: r.vulnerability_name,
    severity: r.severity,
    projectPath: r.project_path,
    iid: Number(r.iid),
    webUrl: r.web_url ?? '',
    title: r.title ?? '',
    state: r.state === 'creating' ? 'opened' : r.state,
    assignees: JSON.parse(r.assignees),
    labels: JSON.parse(r.labels),
    origin: r.origin,
    syncedAt: r.synced_at,
  }));
}

/** Re-read every tracked issue of the scan's findings from GitLab, 100 per call. */
export async function refreshCreatedIssues(
  db: Kysely<Database>,
  tokens: TokenProvider,
  productLabel: string,
  organizationId: string,
  scanId: string,
): Promise<{ refreshed: number; calls: number; missing: number }> {
  const scan = await getScanRow(db, organizationId, scanId);
  const connection = await findConnection(db, organizationId, scan.target_id);
  if (!connection) throw new DomainError('conflict', 'this target is not connected to GitLab');

  const issues = await listCreatedIssues(db, organizationId, scanId);
  const tracked = await db
    .selectFrom('tracked_issues')
    .select(['id', 'project_id', 'iid'])
    .where('id', 'in', issues.length ? issues.map((i) => i.trackedIssueId) : [''])
    .where('base_url', '=', connection.base_url)
    .execute();
  const byProject = new Map<number, { id: string; iid: number }[]>();
  for (const t of tracked) {
    const list = byProject.get(Number(t.project_id)) ?? [];
    list.push({ id: t.id, iid: Number(t.iid) });
    byProject.set(Number(t.project_id), list);
  }
  const { client } = await tokens.client(connection.id);
  let calls = 0;
  let refreshed = 0;
  let missing = 0;
  for (const [projectId, list] of byProject) {
    for (let i = 0; i < list.length; i += 100) {
      const chunk = list.slice(i, i + 100);
      const found: GitlabIssue[] = await client.issuesByIids(
        projectId,
        chunk.map((c) => c.iid),
      );
      calls++;
      const byIid = new Map(found.map((issue) => [issue.iid, issue]));
      for (const c of chunk) {
        const issue = byIid.get(c.iid);
        if (!issue) {
          // Not returned: deleted or moved. Ask for it alone, which marks it so.
          const row = await db
            .selectFrom('tracked_issues')
            .selectAll()
            .where('id', '=', c.id)
            .executeTakeFirstOrThrow();
          await syncIssue(db, client, productLabel, row);
          calls++;
          missing++;
          continue;
        }
        await db.updateTable('tracked_issues').set(issueColumns(issue)).where('id', '=', c.id).execute();
        refreshed++;
      }
    }
  }
  return { refreshed, calls, missing };
}
