import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../index.ts';
import { api, enc } from '../testing/helpers.ts';
import { extractCommands } from './extract.ts';
import { findReferences } from './references.ts';

describe('extractor (unit)', () => {
  const all = () => true;
  it('takes commands at column 0 outside ``` fences, strips them, keeps the rest', () => {
    const text = 'Intro\n/close\n  /label ~x\n```\n/assign @bob\n```\n/LABEL ~bug\nend';
    const out = extractCommands(text, all);
    expect(out.commands).toEqual([
      { name: 'close', arg: '' },
      { name: 'label', arg: '~bug' },
    ]);
    expect(out.text).toBe('Intro\n  /label ~x\n```\n/assign @bob\n```\nend');
  });
  it('does not treat ~~~ fences as protection, but skips >>> quotes and HTML blocks', () => {
    expect(extractCommands('~~~\n/close\n~~~', all).commands).toHaveLength(1);
    expect(extractCommands('>>>\n/close\n>>>', all).commands).toHaveLength(0);
    expect(extractCommands('<details>\n/close\n</details>', all).commands).toHaveLength(0);
    expect(extractCommands('`/close`', all).commands).toHaveLength(0);
    expect(extractCommands('\u200b/close', all).commands).toHaveLength(0);
  });
  it('leaves unavailable and unknown commands in the text', () => {
    const out = extractCommands('/close\n/shrug2', () => false);
    expect(out.commands).toEqual([]);
    expect(out.text).toBe('/close\n/shrug2');
  });
  it('runs a command when either extractor generation (regex, Markdown paragraphs) would', () => {
    const run = (t: string) => extractCommands(t, all).commands.map((c) => c.name);
    // Markdown generation: a top-level paragraph; the regex generation hides it behind the backticks.
    expect(run('see `x`\n/close\nend `y`')).toEqual(['close']);
    // A ```` fence ends at ````; what follows is live (the old sandbox kept it fenced to the end).
    expect(run('````\nx\n````\n/close')).toEqual(['close']);
    expect(run('a\n\n```\nx\n```\n\n/close')).toEqual(['close']);
    // Regex generation: ~~~ is no protection.
    expect(run('~~~\n/close\n~~~')).toEqual(['close']);
    // Neither: not at column 0, in a quote or list, in code, in an HTML block, in a >>> quote.
    for (const t of [
      ' /close',
      '> /close',
      '- /close',
      '1. /close',
      '```\n/close\n```',
      '`a\n/close\nb`',
      '<details>\n/close\n</details>',
      '>>>\n/close\n>>>',
      '`/close`',
      'x /close',
    ])
      expect(run(t), JSON.stringify(t)).toEqual([]);
    // CR is deleted first: `a\r/close` is one line `a/close`.
    expect(run('a\r/close')).toEqual([]);
    expect(run('a\r\n/close')).toEqual(['close']);
  });
  it('finds cross-project issues, merge requests, snippets, epics and wiki links outside code', () => {
    const r = findReferences(
      'see acme/app#3, !4, $5, &6 and [[Home]]; <b>@bob</b> <code>@carol</code> `acme/app#9 !7` [x](https://e/#8)',
    );
    expect(r.projectIssues).toEqual([{ project: 'acme/app', iid: 3 }]);
    expect(r.mergeRequests).toEqual([4]);
    expect(r.snippets).toEqual([5]);
    expect(r.epics).toEqual([6]);
    expect(r.wikiPages).toEqual(['Home']);
    expect(r.users).toEqual(['bob']);
    expect(r.issues).toEqual([]);
  });
  it('finds references outside code only', () => {
    const r = findReferences(
      'Hi @bob and @all, see #12 ~bug %"v1.0"\n```\n@carol #13\n```\n`@dave` ~~~\n&#64;erin a@b.c',
    );
    // `&#64;erin` is decoded before Banzai sees the text, so it mentions erin (as on GitHub, github/markup#1168).
    expect(r.users).toEqual(['bob', 'erin']);
    expect(r.all).toBe(true);
    expect(r.issues).toEqual([12]);
    expect(r.labels).toEqual(['bug']);
    expect(r.milestones).toEqual(['v1.0']);
    expect(findReferences('~~~\n@carol #1\n~~~').users).toEqual([]);
  });
});

describe('quick actions and references over the API', () => {
  let sb: Sandbox;
  let tok: Record<string, string>;
  const P = `/projects/${enc('acme/platform/security/juice-shop')}`;
  beforeAll(async () => {
    sb = await startSandbox({ rateLimits: 'off' });
    tok = Object.fromEntries(sb.users.map((u) => [u.username, u.token]));
  });
  afterAll(() => sb.close());

  const createIssue = async (body: Record<string, unknown>, who = 'alice') =>
    (await api(sb, `${P}/issues`, { token: tok[who], body })).body;
  const note = (iid: number, body: string, who = 'alice', extra: Record<string, unknown> = {}) =>
    api(sb, `${P}/issues/${iid}/notes`, { token: tok[who], body: { body, ...extra } });

  it('runs description commands at create and strips them; /close is not available on a new issue', async () => {
    const bob = sb.store.userByName('bob')!;
    const i = await createIssue({
      title: 'qa',
      description:
        'Found it.\n/label ~bug ~security\n/assign @bob\n/confidential\n/due 2032-02-02\n/milestone %v1.0\n/close',
    });
    expect(i.labels.sort()).toEqual(['bug', 'security']);
    expect(i.assignees.map((a: { id: number }) => a.id)).toEqual([bob.id]);
    expect(i.confidential).toBe(true);
    expect(i.due_date).toBe('2032-02-02');
    expect(i.milestone.title).toBe('v1.0');
    expect(i.state).toBe('opened');
    expect(i.description).toBe('Found it.\n/close');
  });

  it('keeps commands inside ``` fences as text, but runs those in ~~~ fences', async () => {
    const fenced = await createIssue({ title: 'fenced', description: '```\n/label ~bug\n/confidential\n```' });
    expect(fenced.labels).toEqual([]);
    expect(fenced.confidential).toBe(false);
    const tilde = await createIssue({ title: 'tilde', description: '~~~\n/label ~bug\n~~~' });
    expect(tilde.labels).toEqual(['bug']);
    expect(tilde.description).toBe('~~~\n~~~');
  });

  it('runs commands in an edited description (here /close)', async () => {
    const i = await createIssue({ title: 'edit' });
    const res = await api(sb, `${P}/issues/${i.iid}`, {
      token: tok.alice,
      method: 'PUT',
      body: { description: 'now\n/close' },
    });
    expect(res.body.state).toBe('closed');
    expect(res.body.description).toBe('now');
  });

  it('answers 202 with commands_changes for a note of only commands, and stores no note', async () => {
    const i = await createIssue({ title: 'note commands' });
    const res = await note(i.iid, '/close\n/label ~bug');
    expect(res.status).toBe(202);
    expect(res.body.commands_changes).toMatchObject({
      state_event: 'close',
      add_label_ids: [sb.store.labelByName(sb.admin.project('acme/platform/security/juice-shop')!.id, 'bug')!.id],
    });
    expect(res.body.summary).toContain('Closed this issue.');
    const issue = await api(sb, `${P}/issues/${i.iid}`, { token: tok.alice });
    expect(issue.body.state).toBe('closed');
    expect(issue.body.labels).toEqual(['bug']);
    const notes = await api(sb, `${P}/issues/${i.iid}/notes`, { token: tok.alice });
    expect(notes.body.filter((n: { system: boolean }) => !n.system)).toEqual([]);
  });

  it('stores a note with text and strips the command lines from it', async () => {
    const i = await createIssue({ title: 'mixed' });
    const res = await note(i.iid, 'Fixed in main.\n/close');
    expect(res.status).toBe(201);
    expect(res.body.body).toBe('Fixed in main.');
    expect(res.body.commands_changes).toEqual({ state_event: 'close' });
    expect((await api(sb, `${P}/issues/${i.iid}`, { token: tok.alice })).body.state).toBe('closed');
  });

  it('leaves commands a Guest may not run in the note text', async () => {
    const i = await createIssue({ title: 'guest commands' });
    const res = await note(i.iid, '/label ~bug\n/close', 'dave');
    expect(res.status).toBe(201);
    expect(res.body.body).toBe('/label ~bug\n/close');
    const issue = await api(sb, `${P}/issues/${i.iid}`, { token: tok.alice });
    expect(issue.body.labels).toEqual([]);
    expect(issue.body.state).toBe('opened');
  });

  it('gives @mentioned users a to-do, and #N a "mentioned in" system note; not inside code', async () => {
    const target = await createIssue({ title: 'target' });
    const before = sb.admin.todos('carol').length;
    await createIssue({
      title: 'mentions',
      description: `cc @carol, related to #${target.iid}\n\`\`\`\n@erin #${target.iid}\n\`\`\``,
    });
    expect(sb.admin.todos('carol').length).toBe(before + 1);
    expect(sb.admin.todos('erin')).toEqual([]);
    const notes = await api(sb, `${P}/issues/${target.iid}/notes`, { token: tok.alice });
    const system = notes.body.filter((n: { system: boolean }) => n.system);
    expect(system).toHaveLength(1);
    expect(system[0].body).toMatch(/^mentioned in issue #\d+$/);
    const todos = await api(sb, '/todos', { token: tok.carol });
    expect(todos.body[0]).toMatchObject({ action_name: 'mentioned', target_type: 'Issue', state: 'pending' });
    const neutral = await createIssue({ title: 'neutral', description: 'cc `@carol` and @\u200dcarol' });
    expect(neutral.iid).toBeGreaterThan(0);
    expect(sb.admin.todos('carol').length).toBe(before + 1);
    // An entity is decoded before references are resolved: it still mentions.
    await createIssue({ title: 'entity', description: 'cc &#64;carol' });
    expect(sb.admin.todos('carol').length).toBe(before + 2);
  });

  it('records label and milestone references (no side effect in GitLab)', async () => {
    const i = await createIssue({ title: 'refs' });
    await note(i.iid, 'see ~security and %"v1.1"');
    const refs = sb.admin.references().filter((r) => r.issueId === i.id);
    expect(refs.map((r) => [r.kind, r.value])).toEqual([
      ['label', 'security'],
      ['milestone', 'v1.1'],
    ]);
  });
});
