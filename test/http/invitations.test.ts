// Issue #14, item 1: no account crosses organizations. Adding a member by e-mail creates an invitation;
// nothing is granted before the invited person accepts it, proving the account is theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/crypto/index.ts';
import { Client, createOrg, createTestApp, type Org, PASSWORD, type TestApp } from '../support/app.ts';
import { DIALECTS } from '../support/databases.ts';

const B_PASSWORD = 'basalt lantern orchard tides';
const A_PASSWORD = 'quartz meadow ferry lullaby';
const NEW_PASSWORD = 'copper kestrel above wheatfields';

describe.each(DIALECTS)('invitations on %s', (dialect) => {
  let h: TestApp;
  let a: Org;
  let b: Org;
  beforeAll(async () => {
    h = await createTestApp(dialect);
    a = await createOrg(h.app, h.t);
    b = await createOrg(h.app, h.t);
  });
  afterAll(async () => h?.close());

  const db = () => h.t.db.kysely;
  const sessionsIn = async (organizationId: string, email: string) =>
    db()
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id')
      .where('sessions.organization_id', '=', organizationId)
      .where('users.email', '=', email)
      .execute();
  const emailOf = async (client: Client) => (await client.get('/api/auth/session')).json().user.email as string;
  const memberEmails = async (org: Org) =>
    ((await org.owner.get('/api/members')).json().members as { email: string }[]).map((m) => m.email);
  const invite = async (client: Client, email: string, role = 'reader') => {
    const response = await client.post('/api/invitations', { email, role });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { invitation: { id: string; email: string; role: string }; token: string; url: string };
  };
  const accept = (body: Record<string, unknown>, client = new Client(h.app)) =>
    client.post('/api/invitations/accept', body);
  const actions = async (organizationId: string) =>
    (
      await db().selectFrom('audit_events').select('action').where('organization_id', '=', organizationId).execute()
    ).map((e) => e.action);

  it('the repro: B creates x, A adds x as Administrator, B removes x; B’s password opens no session in A', async () => {
    const email = 'x-repro@example.com';
    // 1. Org B's Owner creates x with a password B knows.
    const created = await b.owner.post('/api/members', { email, name: 'X', password: B_PASSWORD, role: 'reader' });
    expect(created.statusCode).toBe(404); // adding a member with a password is gone: members are invited
    const toB = await invite(b.owner, email);
    const acceptedInB = await accept({ token: toB.token, email, name: 'X', password: B_PASSWORD });
    expect(acceptedInB.statusCode, acceptedInB.body).toBe(200);
    const xId = acceptedInB.json().user.id as string;
    // 2. Org A's Owner adds x as Administrator with its own password: refused, and an invitation grants nothing.
    const added = await a.owner.post('/api/members', { email, name: 'X', password: A_PASSWORD, role: 'administrator' });
    expect(added.statusCode).not.toBe(201);
    const withPassword = await a.owner.post('/api/invitations', {
      email,
      name: 'X',
      password: A_PASSWORD,
      role: 'administrator',
    });
    expect(withPassword.statusCode).toBe(400);
    await invite(a.owner, email, 'administrator');
    expect(await memberEmails(a)).not.toContain(email);
    expect((await new Client(h.app).signIn(email, A_PASSWORD)).statusCode).toBe(401);
    // 3. B removes x.
    expect((await b.owner.delete(`/api/members/${xId}`)).statusCode).toBe(204);
    // 4. B's password opens no session in A.
    const x = new Client(h.app);
    expect((await x.signIn(email, B_PASSWORD)).statusCode).toBe(401);
    expect((await x.get('/api/targets')).statusCode).toBe(401);
    expect(await sessionsIn(a.id, email)).toEqual([]);
    expect(await memberEmails(a)).not.toContain(email);
  });

  it('shows the link once, stores only its SHA-256, grants nothing before acceptance, then signs the new account in to that organization', async () => {
    const email = 'newcomer@example.com';
    const created = await invite(a.members.administrator, email, 'contributor');
    expect(created.url).toMatch(new RegExp(`/invitations/${created.token}$`));
    expect(created.token.length).toBeGreaterThanOrEqual(40);
    const stored = await db()
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', created.invitation.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(stored)).not.toContain(created.token);
    expect(Date.parse(stored.expires_at) - Date.parse(stored.created_at)).toBe(7 * 24 * 3600_000);
    const listed = await a.owner.get('/api/invitations');
    expect(listed.json().invitations).toContainEqual(
      expect.objectContaining({ id: created.invitation.id, email, role: 'contributor', invitedBy: 'administrator' }),
    );
    expect(listed.body).not.toContain(created.token);
    expect(await db().selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);

    const preview = await new Client(h.app).post('/api/invitations/preview', { token: created.token });
    expect(preview.json()).toMatchObject({
      email,
      role: 'contributor',
      accountExists: false,
      invitedBy: 'administrator',
      organization: { name: expect.stringMatching(/^Org /) },
    });
    const weak = await accept({ token: created.token, email, name: 'Nina Newcomer', password: 'newcomer@example.com' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const nameless = await accept({ token: created.token, email, password: NEW_PASSWORD });
    expect(nameless.statusCode).toBe(400);

    const newcomer = new Client(h.app);
    const accepted = await accept(
      { token: created.token, email, name: 'Nina Newcomer', password: NEW_PASSWORD },
      newcomer,
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      user: { email, name: 'Nina Newcomer' },
      organization: { id: a.id },
      role: 'contributor',
    });
    expect((await newcomer.get('/api/auth/session')).json()).toMatchObject({
      organization: { id: a.id },
      role: 'contributor',
    });
    expect((await newcomer.post('/api/targets', { name: 'Nina’s', baseUrl: 'https://nina.example' })).statusCode).toBe(
      201,
    );
    expect(await memberEmails(a)).toContain(email);
    expect((await a.owner.get('/api/invitations')).body).not.toContain(created.invitation.id);
    expect(await actions(a.id)).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted', 'member.added']),
    );
    expect((await new Client(h.app).signIn(email, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('works once: a used link is refused, and so is a second acceptance racing the first', async () => {
    const email = 'once@example.com';
    const { token } = await invite(a.owner, email);
    const [first, second] = await Promise.all([
      accept({ token, email, name: 'Once', password: NEW_PASSWORD }),
      accept({ token, email, name: 'Once', password: NEW_PASSWORD }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 404]);
    const again = await accept({ token, email, name: 'Once', password: NEW_PASSWORD });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toContain('already been used');
    expect((await new Client(h.app).post('/api/invitations/preview', { token })).statusCode).toBe(404);
    const rows = await db()
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.organization_id')
      .where('users.email', '=', email)
      .execute();
    expect(rows).toEqual([{ organization_id: a.id }]);
  });

  it('expires after seven days', async () => {
    const email = 'late@example.com';
    const { token, invitation } = await invite(a.owner, email);
    await db()
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', invitation.id)
      .execute();
    const preview = await new Client(h.app).post('/api/invitations/preview', { token });
    expect(preview.statusCode).toBe(404);
    expect(preview.json().error.message).toContain('expired');
    expect((await accept({ token, email, name: 'Late', password: NEW_PASSWORD })).statusCode).toBe(404);
    expect((await a.owner.get('/api/invitations')).json().invitations.map((i: { id: string }) => i.id)).not.toContain(
      invitation.id,
    );
    expect(await db().selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
  });

  it('is valid only for its e-mail address', async () => {
    const { token } = await invite(a.owner, 'right@example.com');
    const wrong = await accept({ token, email: 'wrong@example.com', name: 'Wrong', password: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.message).toContain('another e-mail address');
    expect(
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', 'in', ['right@example.com', 'wrong@example.com'])
        .execute(),
    ).toEqual([]);
    expect((await new Client(h.app).post('/api/invitations/preview', { token })).statusCode).toBe(200);
  });

  it('stops working when revoked, and the revocation is audited', async () => {
    const email = 'revoked@example.com';
    const { token, invitation } = await invite(a.owner, email);
    expect((await a.members.contributor.delete(`/api/invitations/${invitation.id}`)).statusCode).toBe(403);
    expect((await a.members.administrator.delete(`/api/invitations/${invitation.id}`)).statusCode).toBe(204);
    expect((await a.owner.delete(`/api/invitations/${invitation.id}`)).statusCode).toBe(404);
    const refused = await accept({ token, email, name: 'Rev', password: NEW_PASSWORD });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.message).toContain('revoked');
    expect(await actions(a.id)).toContain('invitation.revoked');
    expect(await memberEmails(a)).not.toContain(email);
  });

  it('never grants a role above the inviter’s, even when the inviter is demoted before acceptance', async () => {
    const admin = a.members.administrator;
    expect((await admin.post('/api/invitations', { email: 'boss@example.com', role: 'owner' })).statusCode).toBe(403);
    for (const role of ['contributor', 'reader'] as const) {
      expect(
        (await a.members[role].post('/api/invitations', { email: `by-${role}@example.com`, role: 'reader' }))
          .statusCode,
      ).toBe(403);
      expect((await a.members[role].get('/api/invitations')).statusCode).toBe(403);
    }
    const ownerInvite = await invite(a.owner, 'co-owner@example.com', 'owner');
    expect((await admin.delete(`/api/invitations/${ownerInvite.invitation.id}`)).statusCode).toBe(403);
    const adminInvite = await invite(admin, 'deputy@example.com', 'administrator');
    const adminId = (await admin.get('/api/auth/session')).json().user.id as string;
    await db()
      .updateTable('memberships')
      .set({ role: 'contributor' })
      .where('organization_id', '=', a.id)
      .where('user_id', '=', adminId)
      .execute();
    const refused = await accept({
      token: adminInvite.token,
      email: 'deputy@example.com',
      name: 'Deputy',
      password: NEW_PASSWORD,
    });
    expect(refused.statusCode).toBe(403);
    expect(await memberEmails(a)).not.toContain('deputy@example.com');
    await db()
      .updateTable('memberships')
      .set({ role: 'administrator' })
      .where('organization_id', '=', a.id)
      .where('user_id', '=', adminId)
      .execute();
    expect(
      (await accept({ token: adminInvite.token, email: 'deputy@example.com', name: 'Deputy', password: NEW_PASSWORD }))
        .statusCode,
    ).toBe(200);
  });

  it('binds a token to its organization: B can neither see nor revoke A’s invitation, and accepting joins A only', async () => {
    const email = 'bound@example.com';
    const { token, invitation } = await invite(a.owner, email, 'reader');
    for (const role of ['owner', 'administrator'] as const) {
      expect((await b.members[role].delete(`/api/invitations/${invitation.id}`)).statusCode).toBe(404);
      expect((await b.members[role].get('/api/invitations')).body).not.toContain(invitation.id);
    }
    const bMembersBefore = await memberEmails(b);
    // Accepted from a browser signed in to B: the answer is a new session in A, and B gains nothing.
    const browser = b.members.reader;
    const accepted = await accept({ token, email, name: 'Bound', password: NEW_PASSWORD }, browser);
    expect(accepted.statusCode).toBe(200);
    expect((await browser.get('/api/auth/session')).json().organization.id).toBe(a.id);
    expect(await memberEmails(b)).toEqual(bMembersBefore);
    const orgs = await db()
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.organization_id')
      .where('users.email', '=', email)
      .execute();
    expect(orgs).toEqual([{ organization_id: a.id }]);
  });

  it('lets an existing account of another organization join only with its own password, then pick and switch organizations', async () => {
    const yClient = b.members.contributor;
    const email = await emailOf(yClient);
    const { token } = await invite(a.owner, email, 'reader');
    const preview = await new Client(h.app).post('/api/invitations/preview', { token });
    expect(preview.json()).toMatchObject({ email, accountExists: true });
    const wrong = await accept({ token, email, password: A_PASSWORD });
    expect(wrong.statusCode).toBe(401);
    expect(await sessionsIn(a.id, email)).toEqual([]);
    const renamed = await accept({ token, email, name: 'Someone else', password: PASSWORD });
    expect(renamed.statusCode).toBe(400);
    expect(await memberEmails(a)).not.toContain(email);

    const y = new Client(h.app);
    const joined = await accept({ token, email, password: PASSWORD }, y);
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json()).toMatchObject({ organization: { id: a.id }, role: 'reader' });
    expect(await actions(a.id)).toContain('member.added');

    // Sign-in without a choice lists the account's organizations and opens no session.
    const chooser = new Client(h.app);
    const choose = await chooser.signIn(email);
    expect(choose.statusCode).toBe(200);
    expect(choose.json().chooseOrganization.map((o: { id: string; role: string }) => [o.id, o.role])).toEqual([
      [b.id, 'contributor'],
      [a.id, 'reader'],
    ]);
    expect(choose.cookies.find((c) => c.name === 'vb_session')).toBeUndefined();
    expect((await chooser.get('/api/auth/session')).statusCode).toBe(401);
    expect(
      (await chooser.post('/api/auth/sign-in', { email, password: PASSWORD, organizationId: 'not-mine' })).statusCode,
    ).toBe(403);
    expect(
      (await chooser.post('/api/auth/sign-in', { email, password: A_PASSWORD, organizationId: a.id })).statusCode,
    ).toBe(401);
    const inA = await chooser.post('/api/auth/sign-in', { email, password: PASSWORD, organizationId: a.id });
    expect(inA.json()).toMatchObject({ organization: { id: a.id }, role: 'reader' });
    expect((await chooser.get('/api/targets')).body).not.toContain('B shop');

    // Switching: a new session bound to the other organization; the old one ends; membership is checked.
    const orgs = (await chooser.get('/api/auth/organizations')).json().organizations.map((o: { id: string }) => o.id);
    expect(orgs).toEqual([b.id, a.id]);
    const oldCookie = chooser.cookie;
    const switched = await chooser.post('/api/auth/switch-organization', { organizationId: b.id });
    expect(switched.json()).toMatchObject({ organization: { id: b.id }, role: 'contributor' });
    expect(chooser.cookie).not.toBe(oldCookie);
    const stale = new Client(h.app);
    stale.cookie = oldCookie;
    expect((await stale.get('/api/auth/session')).statusCode).toBe(401);
    const other = await createOrg(h.app, h.t);
    const foreign = await chooser.post('/api/auth/switch-organization', { organizationId: other.id });
    expect(foreign.statusCode).toBe(404);
    expect((await chooser.get('/api/auth/session')).json().organization.id).toBe(b.id);
    expect(
      (await chooser.post('/api/auth/switch-organization', { organizationId: a.id, role: 'owner' })).statusCode,
    ).toBe(400);

    // Removal from one organization ends the sessions there only.
    const yId = joined.json().user.id as string;
    expect((await a.owner.delete(`/api/members/${yId}`)).statusCode).toBe(204);
    expect((await y.get('/api/auth/session')).statusCode).toBe(401);
    expect((await chooser.get('/api/auth/session')).json().organization.id).toBe(b.id);
    expect((await chooser.post('/api/auth/switch-organization', { organizationId: a.id })).statusCode).toBe(404);
    const single = await new Client(h.app).signIn(email);
    expect(single.json()).toMatchObject({ organization: { id: b.id } });
  });

  it('refuses unknown fields by name instead of ignoring them', async () => {
    const extra = await a.owner.post('/api/invitations', {
      email: 'extra@example.com',
      role: 'reader',
      password: A_PASSWORD,
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('password') });
    expect((await a.owner.patch(`/api/members/${'x'}`, { role: 'reader', name: 'Renamed' })).statusCode).toBe(400);
    expect(
      (await new Client(h.app).post('/api/auth/sign-in', { email: 'a@example.com', password: 'x', remember: true }))
        .statusCode,
    ).toBe(400);
    expect((await a.owner.get('/api/invitations')).body).not.toContain('extra@example.com');
  });
});
