// An organization of a spec's own, made in the hub's database before its tests and removed after them,
// for specs that must leave the hub (and the GitLab sandbox) exactly as they found it.
import { expect, test } from '@playwright/test';
import { type Db, openDatabase } from '../src/db/index.ts';
import { createOrganizationWithOwner } from '../src/services/index.ts';
import { baseUrl, signInHeaders } from './helpers.ts';

/** What the spec made that the clean-up removes; 0 or '' where it made nothing. */
export interface SpecLeftovers {
  targetId: string;
  projectId: number;
  iid: number;
  /** The project's hooks before the spec linked it (those stay). */
  hooksBefore: number[];
}

/**
 * Before the spec's tests, `person`'s organization with them as its Owner. After them: the target goes
 * first (its scan, connection and issue records), so GitLab's webhooks about the deletions below are
 * refused at the door; then, through `gitlab` (the sandbox API as the project's Owner), the hooks the
 * spec added and its issue; then the organization and its user, so the hub again has exactly the users
 * it had.
 */
export function withOwnOrganization(
  person: { organizationName: string; name: string; email: string; password: string },
  leftovers: () => SpecLeftovers,
  gitlab: (method: 'GET' | 'DELETE', path: string) => Promise<unknown>,
): void {
  let db: Db | null = null;
  let organizationId = '';
  let userId = '';

  test.beforeAll(async () => {
    const url = process.env.VB_E2E_DATABASE_URL;
    if (!url) throw new Error('VB_E2E_DATABASE_URL is not set: run the tests with `npx playwright test`');
    db = openDatabase(url);
    const created = await createOrganizationWithOwner(db.kysely, person);
    organizationId = created.organization.id;
    userId = created.user.id;
  });

  test.afterAll(async ({ request }) => {
    const { targetId, projectId, iid, hooksBefore } = leftovers();
    try {
      if (targetId) {
        const headers = await signInHeaders(request, person);
        expect((await request.delete(`${baseUrl()}/api/targets/${targetId}/gitlab`, { headers })).status()).toBe(204);
        expect((await request.delete(`${baseUrl()}/api/targets/${targetId}`, { headers })).status()).toBe(204);
      }
      if (projectId) {
        const hooks = (await gitlab('GET', `/projects/${projectId}/hooks`)) as { id: number }[];
        for (const hook of hooks.filter((h) => !hooksBefore.includes(h.id)))
          await gitlab('DELETE', `/projects/${projectId}/hooks/${hook.id}`);
        if (iid) await gitlab('DELETE', `/projects/${projectId}/issues/${iid}`);
      }
    } finally {
      if (db) {
        if (organizationId) await db.kysely.deleteFrom('organizations').where('id', '=', organizationId).execute();
        if (userId) await db.kysely.deleteFrom('users').where('id', '=', userId).execute();
        await db.close();
      }
    }
  });
}
