// One issue per finding even when two attempts at one create both run: an attempt that lost its job
// lease (paused or starved while another worker took the job over) stops before its POST; and when
// both POSTs reach GitLab anyway (paused after the lease check, or an answer lost after the other
// attempt finished), the one that settles second retires its copy: deleted where the connected user is
// an Owner, closed with our labels taken off and a note where they are a Maintainer. The next attempt
// and reconciliation retire copies left by an attempt that stopped right after its create. Issues
// someone else wrote are never touched. On SQLite and PostgreSQL, against the sandbox over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLost } from '../../src/jobs/index.ts';
import { createIssueForItem, findingMarker, reconcileLink } from '../../src/tracking/index.ts';
import { DIALECTS } from '../support/databases.ts';
import { pushHelpers } from './push-support.ts';
import { createGitlabHarness, type GitlabHarness } from './support.ts';

const OWNED = 'acme/platform/security/webgoat'; // alice: Owner (through the Security group)
const MAINTAINED = 'acme/web/web-auth-001'; // alice: Maintainer (through the Web group)

describe.each(DIALECTS)('exactly one issue per finding across competing attempts on %s', (dialect) => {
  let g: GitlabHarness;
  beforeAll(async () => {
    g = await createGitlabHarness(dialect);
  });
  afterAll(async () => g?.close());
  const { deps, prepare, issuesIn, labelsOf } = pushHelpers(() => g);

  /** A push of one finding whose job no worker runs: the test plays the attempts itself. */
  async function onePush(projectPath: string, labels: string[] = []) {
    const prepared = await prepare(projectPath, 1);
    const started = await g.org.owner.post(`/api/scans/${prepared.scanId}/pushes`, {
      vulnerabilityId: prepared.vulnerabilityId,
      labels,
    });
    expect(started.statusCode, started.body).toBe(202);
    const item = await g.h.t.db.kysely
      .selectFrom('push_items')
      .selectAll()
      .where('push_id', '=', started.json().pushId)
      .executeTakeFirstOrThrow();
    return { ...prepared, item, pushId: started.json().pushId as string };
  }
  const withLabel = (projectId: number, label: string) =>
    issuesIn(projectId).filter((i) => labelsOf(i).includes(label));
  const tracked = (publicId: string) =>
    g.h.t.db.kysely
      .selectFrom('tracked_issues')
      .selectAll()
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
  const retirements = (publicId: string) =>
    g.h.t.db.kysely
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'gitlab.duplicate_retired')
      .execute()
      .then((rows) => rows.map((r) => JSON.parse(r.details)).filter((d) => d.publicId === publicId));
  /** An issue made through the API: `description` with our finding marker makes it look like one of ours. */
  async function createAs(token: string, projectId: number, labels: string, description = '') {
    const response = await fetch(`${g.sandbox.url}/api/v4/projects/${projectId}/issues`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'a copy', labels, description }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { iid: number };
  }

  it('an attempt whose lease another worker took makes no POST; the attempt holding the lease creates the issue once', async () => {
    const { project, item } = await onePush(OWNED);
    const before = issuesIn(project.id).length;
    await expect(
      createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => false }),
    ).rejects.toBeInstanceOf(LeaseLost);
    expect(issuesIn(project.id)).toHaveLength(before);
    expect(await tracked(item.public_id)).toMatchObject({ state: 'creating', iid: null });
    expect(await createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => true })).toMatchObject({
      state: 'created',
    });
    expect(withLabel(project.id, item.public_id)).toHaveLength(1);
  });

  it('two attempts whose POSTs both reach GitLab leave one issue: the one that settles second deletes its copy (Owner)', async () => {
    const { project, item } = await onePush(OWNED);
    let second: Awaited<ReturnType<typeof createIssueForItem>> | undefined;
    // A passes its lease check, then is paused: meanwhile B (the worker that took the job over) runs whole.
    const first = await createIssueForItem(g.h.t.db.kysely, deps(), item.id, {
      holdLease: async () => {
        second = await createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => true });
        return true;
      },
    });
    expect(second).toMatchObject({ state: 'created' });
    expect(first).toEqual({ state: 'adopted', iid: second?.iid });
    const left = withLabel(project.id, item.public_id);
    expect(left.map((i) => i.iid)).toEqual([second?.iid]);
    expect(await tracked(item.public_id)).toMatchObject({ state: 'opened', iid: second?.iid });
    const [retired] = await retirements(item.public_id);
    expect(retired).toMatchObject({ trackedIid: second?.iid, outcome: 'deleted' });
    expect(retired.duplicateIid).not.toBe(second?.iid);
    const finished = await g.h.t.db.kysely
      .selectFrom('push_items')
      .select('state')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(finished.state).toBe('created'); // B's outcome stands; A's later settle does not relabel it
  });

  it('where the connected user may not delete (Maintainer), the copy is closed, loses only our labels, and says where the finding is tracked', async () => {
    const { project, item } = await onePush(MAINTAINED, ['team::web']);
    let second: Awaited<ReturnType<typeof createIssueForItem>> | undefined;
    await createIssueForItem(g.h.t.db.kysely, deps(), item.id, {
      holdLease: async () => {
        second = await createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => true });
        return true;
      },
    });
    const ours = issuesIn(project.id).filter((i) => i.title.startsWith('Cross Site'));
    expect(ours).toHaveLength(2);
    const kept = ours.find((i) => i.iid === second?.iid)!;
    const copy = ours.find((i) => i.iid !== second?.iid)!;
    expect(kept.state).toBe('opened');
    expect(labelsOf(kept)).toEqual(expect.arrayContaining(['Vulnbridge', item.public_id, 'team::web']));
    expect(copy.state).toBe('closed');
    expect(labelsOf(copy)).toContain('team::web');
    expect(labelsOf(copy)).not.toContain('Vulnbridge');
    expect(labelsOf(copy)).not.toContain(item.public_id);
    const notes = g.sandbox.store.data.notes.filter((n) => n.issueId === copy.id && !n.system);
    expect(notes.map((n) => n.body)).toEqual([expect.stringContaining(`tracked in #${second?.iid}`)]);
    expect((await retirements(item.public_id))[0]).toMatchObject({ outcome: 'closed', duplicateIid: copy.iid });
    expect(withLabel(project.id, item.public_id).map((i) => i.iid)).toEqual([second?.iid]);
  });

  it('the attempt after a lost answer adopts the first of two copies and retires the second, leaving an issue someone else labelled alone', async () => {
    const { project, item, token } = await onePush(OWNED);
    g.sandbox.admin.setFaults('lost=1:method=POST:path=/issues:times=1');
    try {
      await expect(
        createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => true }),
      ).rejects.toThrow();
    } finally {
      g.sandbox.admin.clearFaults();
    }
    const [lost] = withLabel(project.id, item.public_id);
    expect(lost).toBeDefined();
    // A second copy by the same GitLab user (the other attempt); one that Bob labelled by hand (even with
    // our marker pasted in); and one that Alice herself made by hand and labelled (no marker).
    const marker = findingMarker(item.public_id);
    const copy = await createAs(token, project.id, `Vulnbridge,${item.public_id}`, `details\n${marker}`);
    const bobs = await createAs(g.sandbox.admin.createToken('bob'), project.id, item.public_id, marker);
    const alices = await createAs(
      token,
      project.id,
      `Vulnbridge,${item.public_id}`,
      'follow-up: the same bug in the mobile app',
    );
    expect(await createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => true })).toEqual({
      state: 'adopted',
      iid: lost!.iid,
    });
    expect(
      withLabel(project.id, item.public_id)
        .map((i) => i.iid)
        .sort((a, b) => a - b),
    ).toEqual([lost!.iid, bobs.iid, alices.iid]);
    expect(await retirements(item.public_id)).toEqual([
      expect.objectContaining({ duplicateIid: copy.iid, outcome: 'deleted' }),
    ]);
  });

  it('reconciliation retires a copy that no attempt was left to retire (its attempt stopped right after the create)', async () => {
    const { project, item, token, targetId } = await onePush(OWNED);
    await createIssueForItem(g.h.t.db.kysely, deps(), item.id, { holdLease: async () => true });
    const [issue] = withLabel(project.id, item.public_id);
    const copy = await createAs(token, project.id, `Vulnbridge,${item.public_id}`, findingMarker(item.public_id));
    const link = await g.h.t.db.kysely
      .selectFrom('project_links')
      .select('id')
      .where('target_id', '=', targetId)
      .where('scan_id', 'is', null)
      .executeTakeFirstOrThrow();
    await reconcileLink(g.h.t.db.kysely, deps(), link.id);
    expect(withLabel(project.id, item.public_id).map((i) => i.iid)).toEqual([issue!.iid]);
    expect(await retirements(item.public_id)).toEqual([
      expect.objectContaining({ duplicateIid: copy.iid, outcome: 'deleted' }),
    ]);
  });
});
