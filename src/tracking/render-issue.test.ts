import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingInfo, ScanInfo, TargetInfo, VulnerabilityInfo } from '../contracts/index.ts';
import { type Sandbox, startSandbox } from '../sandbox/index.ts';
import { DESCRIPTION_MAX_CHARS, type RenderIssueInput, cutChars, renderIssue, safeTitle } from './render-issue.ts';

function sampleInput(
  over: { v?: Partial<VulnerabilityInfo>; f?: Partial<FindingInfo>; t?: Partial<TargetInfo> } = {},
): RenderIssueInput {
  const vulnerability: VulnerabilityInfo = {
    id: 'v1',
    scanId: 's1',
    ruleKey: '40012',
    name: 'Cross Site Scripting (Reflected)',
    severity: 'high',
    confidence: 'Medium',
    cwe: 79,
    wasc: 8,
    owasp: 'A03:2021-Injection',
    description: 'Cross-site Scripting (XSS) is an attack technique…',
    solution: 'Validate all input.',
    references: ['https://owasp.org/www-community/attacks/xss/', 'ftp://example.com/x', 'javascript:alert(1)'],
    findingCount: 1,
    ...over.v,
  };
  const finding: FindingInfo = {
    id: 'f1',
    scanId: 's1',
    vulnerabilityId: 'v1',
    publicId: 'VB-MDWSAU027854',
    fingerprint: 'fp',
    site: 'https://juice.example',
    url: 'https://juice.example/search?q=%3Cscript%3E',
    method: 'GET',
    parameter: 'q',
    attack: '<script>alert(1)</script>',
    evidence: '<script>alert(1)</script>',
    otherInfo: '',
    requestLine: 'GET /search?q=%3Cscript%3E HTTP/1.1',
    requestHeaders: [['Host', 'juice.example']],
    requestBody: '',
    responseStatusLine: 'HTTP/1.1 200 OK',
    responseHeaders: [['Content-Type', 'text/html']],
    responseBody: '<html><body><script>alert(1)</script></body></html>',
    additionalExchanges: [],
    truncated: [],
    ...over.f,
  };
  const scan: ScanInfo = {
    id: 's1',
    targetId: 't1',
    tool: 'ZAP',
    toolVersion: '2.15.0',
    format: 'zap-json',
    site: 'https://juice.example',
    startedAt: '2024-05-01T10:00:00.000Z',
    finishedAt: null,
    importedAt: '2024-05-01T11:00:00.000Z',
    sourceName: 'r.json',
    sourceSha256: '0',
    sourceBytes: 1,
    counts: { vulnerabilities: 1, findings: 1, new: 1, recurring: 0, missing: 0 },
    severityCounts: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
    empty: false,
    warnings: [],
  };
  const target: TargetInfo = {
    id: 't1',
    name: 'Juice Shop',
    baseUrl: 'https://juice.example',
    createdAt: '',
    updatedAt: '',
    ...over.t,
  };
  return { vulnerability, finding, scan, target, findingUrl: 'https://hub.example/scans/s1?finding=f1' };
}

const opts = { redact: {} };

describe('renderIssue title', () => {
  it('names the vulnerability and where it was found', () => {
    expect(renderIssue(sampleInput(), opts).title).toBe('Cross Site Scripting (Reflected) — GET /search [q]');
    expect(renderIssue(sampleInput({ f: { parameter: '', method: 'post' } }), opts).title).toBe(
      'Cross Site Scripting (Reflected) — POST /search',
    );
  });

  it('is one line, has no leading /, breaks references and keeps secrets out', () => {
    const { title } = renderIssue(
      sampleInput({
        v: { name: '  /close\n/assign @root' },
        f: { url: 'https://e/a?token=zz', parameter: 'token=abc123456789' },
      }),
      opts,
    );
    expect(title).not.toMatch(/[\r\n]/);
    expect(title.startsWith('/')).toBe(false);
    expect(title).not.toMatch(/@root/);
    expect(title).not.toContain('zz');
    expect(title).not.toContain('abc123456789');
  });

  it('is cut to 255 characters without splitting a surrogate pair', () => {
    const t = safeTitle(`${'a'.repeat(253)}😀😀😀`);
    expect(t.length).toBeLessThanOrEqual(255);
    expect(t).toBe(`${'a'.repeat(253)}…`);
    expect(cutChars('ab😀', 3)).toBe('ab');
    expect(renderIssue(sampleInput({ v: { name: 'x'.repeat(1000) } }), opts).title.length).toBe(255);
  });
});

describe('renderIssue description', () => {
  it('has the summary table, sections, link back and the hidden marker at the very end', () => {
    const { description: d } = renderIssue(sampleInput(), opts);
    expect(d).toContain('| **Severity** | High |');
    expect(d).toContain('[CWE-79](https://cwe.mitre.org/data/definitions/79.html)');
    expect(d).toContain('| **OWASP** | `A03:2021-Injection` |');
    expect(d).toContain('| **Target** | `Juice Shop` `https://juice.example` |');
    expect(d).toContain('| **Scan date** | 2024-05-01 10:00:00 UTC |');
    expect(d).toContain('| **Finding ID** | `VB-MDWSAU027854` |');
    for (const h of [
      '### Description',
      '### Remediation',
      '### Evidence',
      '### HTTP request',
      '### HTTP response',
      '### References',
    ])
      expect(d).toContain(h);
    expect(d).toContain('- <https://owasp.org/www-community/attacks/xss/>');
    expect(d).toContain('- `ftp://example.com/x`');
    expect(d).toContain('- `javascript:alert(1)`');
    expect(d).toContain('[View in Vulnbridge](<https://hub.example/scans/s1?finding=f1>)');
    expect(d.endsWith('\n<!-- vulnbridge:finding=VB-MDWSAU027854 -->')).toBe(true);
    expect(d).toContain('```http\nGET /search?q=%3Cscript%3E HTTP/1.1\nHost: juice.example\n```');
  });

  it('shows the description and remediation as readable paragraphs, with acting tokens made inert', () => {
    const { description: d } = renderIssue(
      sampleInput({
        v: {
          description: 'Reflected XSS lets an attacker run script.\n\nAsk @all to check #1 first.\n/close',
          solution: 'Encode output: use <b>escapeHtml</b> & a CSP.',
        },
      }),
      opts,
    );
    expect(d).toContain(
      '### Description\n\nReflected XSS lets an attacker run script.\n\nAsk `@all` to check `#1` first.\\\n`/close`\n',
    );
    expect(d).toContain('### Remediation\n\nEncode output: use \\<b>escapeHtml\\</b> & a CSP.\n');
    expect(d.slice(0, d.indexOf('### Evidence'))).not.toContain('```');
    // Machine text stays code.
    expect(d).toContain('```text\n<script>alert(1)</script>\n```');
  });

  it('escapes pipes in table cells', () => {
    const { description: d } = renderIssue(sampleInput({ v: { owasp: 'A | B', confidence: 'x\\|@all' } }), opts);
    expect(d).toContain('| **OWASP** | `A \\| B` |');
    expect(d).toContain('| **Confidence** | `x\\¦@all` |');
  });

  it('shows a curl attack as a proof of concept', () => {
    const { description: d } = renderIssue(sampleInput({ f: { attack: "curl -X POST 'https://e/x' -d a=1" } }), opts);
    expect(d).toContain("**Proof of concept**\n\n```shell\ncurl -X POST 'https://e/x' -d a=1\n```");
  });

  it('cuts bodies to maxBodyChars and says so', () => {
    const { description: d } = renderIssue(
      sampleInput({ f: { requestBody: 'b'.repeat(10), responseBody: 'r'.repeat(5000) } }),
      { ...opts, maxBodyChars: 100 },
    );
    expect(d).toContain(`\n\n${'b'.repeat(10)}\n\`\`\``);
    expect(d).toContain(`\n\n${'r'.repeat(100)}\n\`\`\``);
    expect(d).toContain('_(body cut at 100 of 5,000 characters)_');
    expect(d.match(/body cut/g)).toHaveLength(1);
  });

  it('redacts headers, query parameters and tokens before anything is rendered', () => {
    const { description: d } = renderIssue(
      sampleInput({
        f: {
          url: 'https://e/x?token=QUERYSECRET',
          requestLine: 'GET /x?token=QUERYSECRET HTTP/1.1',
          requestHeaders: [['Authorization', 'Bearer HEADERSECRET1']],
          responseHeaders: [['Set-Cookie', 'sid=COOKIESECRET; Path=/']],
          evidence: 'leaked glpat-abcdefghij0123456789',
        },
      }),
      opts,
    );
    for (const s of ['QUERYSECRET', 'HEADERSECRET1', 'COOKIESECRET', 'glpat-abcdefghij']) expect(d).not.toContain(s);
    expect(d).toContain('Authorization: Bearer [redacted]');
    expect(d).toContain('Set-Cookie: sid=[redacted]; Path=/');
  });

  it('puts scanner text only in code: no line outside code starts with / and no reference outside code', () => {
    const evil =
      '/close\n/assign @root\n@all #1 !1 ~x %v1.0\n```\n/label ~x\n```\n~~~\n/confidential\n~~~\n<script>alert(1)</script>';
    const input = sampleInput({
      v: { description: evil, solution: evil, confidence: '@all | /close', owasp: '`#1`' },
      f: { attack: evil, evidence: evil, otherInfo: evil, parameter: '@all\n/close', method: '/close' },
      t: { name: '@all #1' },
    });
    input.vulnerability.references = ['@root', 'https://e/@all'];
    const { description: d } = renderIssue(input, opts);
    // Outside fences, every line is ours: headings, table rows, list items, notes, link, marker.
    let fence: string | null = null;
    for (const raw of d.split('\n')) {
      const line = raw.replace(/^> /, '');
      const f = /^(`{3,})/.exec(line)?.[1];
      if (fence) {
        if (line === fence) fence = null;
        continue;
      }
      if (f) {
        fence = f;
        continue;
      }
      expect(line).not.toMatch(/^\s*\//);
      const prose = line.replace(/(`+)[^`]*?\1/g, '').replace(/<https?:[^>]*>/g, '');
      expect(prose).not.toMatch(/[@#!~%][\w"]/);
    }
    expect(fence).toBeNull();
  });

  it('stays below the limit by cutting the largest fields first, and says so', () => {
    const big = 'E'.repeat(2 * 1024 * 1024);
    const mid = 'O'.repeat(600_000);
    const { description: d } = renderIssue(
      sampleInput({ f: { evidence: big, otherInfo: mid }, v: { description: 'short' } }),
      opts,
    );
    expect(d.length).toBeLessThanOrEqual(DESCRIPTION_MAX_CHARS);
    expect(d.length).toBeGreaterThan(DESCRIPTION_MAX_CHARS - 20_000);
    expect(d).toContain('the largest fields were cut: evidence, other info.');
    expect(d).toMatch(/cut at [\d,]+ of 2,097,152 characters/);
    expect(d).toMatch(/cut at [\d,]+ of 600,000 characters/);
    expect(d).toContain('### Description\n\nshort\n');
    const small = renderIssue(sampleInput({ f: { evidence: big } }), {
      ...opts,
      maxDescriptionChars: 1_000_000,
    }).description;
    expect(small.length).toBeLessThanOrEqual(1_000_000);
  });
});

describe('renderIssue against the GitLab sandbox (real HTTP)', () => {
  const PATH = 'acme/platform/security/juice-shop';
  const EVIL = [
    '/close',
    '/assign @root',
    '/label ~x ~bug',
    '/confidential',
    '/milestone %v1.0',
    '/due tomorrow',
    '/title pwned',
    '@all @root @bob #1 !1 %v1.0 ~bug $1 &1',
    '<script>alert(1)</script>',
    '<div>',
    '/lock',
    '</div>',
    '<img src=x onerror=alert(1)> &amp; [link](javascript:alert(1)) **bold**',
  ].join('\n');
  let sb: Sandbox;
  let token: string;
  let api: (
    path: string,
    method: string,
    body: unknown,
  ) => Promise<{ status: number; body: { iid: number; id: number } }>;

  beforeAll(async () => {
    sb = await startSandbox({ rateLimits: 'off' });
    token = sb.users.find((u) => u.username === 'alice')!.token;
    const project = encodeURIComponent(PATH);
    api = async (path, method, body) => {
      const res = await fetch(`${sb.apiUrl}/projects/${project}${path}`, {
        method,
        headers: { 'PRIVATE-TOKEN': token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(() => sb.close());

  it('creates, comments and edits without running quick actions, mentions or references', async () => {
    const input = sampleInput({
      v: {
        name: '/close @all #1',
        description: EVIL,
        solution: `\`\`\`\n${EVIL}\n\`\`\``,
        confidence: '@all',
        owasp: '/close | #1',
      },
      f: {
        url: 'https://juice.example/search?q=1&token=QUERYSECRET',
        requestLine: 'GET /search?q=1&token=QUERYSECRET HTTP/1.1',
        requestHeaders: [
          ['Host', 'juice.example'],
          ['Authorization', 'Bearer HEADERSECRET42'],
        ],
        attack: `~~~\n${EVIL}\n~~~`,
        evidence: `${EVIL}\n\`\`\`\``,
        otherInfo: `${EVIL}\n${'B'.repeat(2 * 1024 * 1024)}`,
        responseBody: `<html>\n${EVIL}\n</html>`,
      },
      t: { name: '@root ~bug' },
    });
    input.vulnerability.references = ['@root', '#1', 'https://e.example/x?token=REFSECRET'];
    const rendered = renderIssue(input, { redact: {} });
    const d = rendered.description;
    expect(d.length).toBeLessThan(DESCRIPTION_MAX_CHARS);
    expect(d).toMatch(/_\(cut at [\d,]+ of 2,097,\d{3} characters/);
    for (const secret of ['QUERYSECRET', 'HEADERSECRET42', 'REFSECRET']) expect(d).not.toContain(secret);
    expect(d).toContain('Authorization: Bearer [redacted]');

    const labels = `Vulnbridge,${input.finding.publicId}`;
    const created = await api('/issues', 'POST', { title: rendered.title, description: d, labels });
    expect(created.status).toBe(201);
    const iid = created.body.iid;
    const issueId = created.body.id;

    const noteText = renderIssue(input, { redact: {}, maxDescriptionChars: 1_000_000 }).description;
    const note = await api(`/issues/${iid}/notes`, 'POST', { body: noteText });
    expect(note.status).toBe(201); // 202 would mean "only quick actions, nothing stored"
    const edited = await api(`/issues/${iid}`, 'PUT', { description: noteText });
    expect(edited.status).toBe(200);

    const issue = sb.admin.issue(PATH, iid)!;
    expect(issue.state).toBe('opened');
    expect(issue.assigneeIds).toEqual([]);
    expect(issue.confidential).toBe(false);
    expect(issue.milestoneId).toBeNull();
    expect(issue.dueDate).toBeNull();
    expect(issue.discussionLocked).not.toBe(true);
    expect(issue.title).toBe(rendered.title);
    const labelNames = issue.labelIds.map((id) => sb.store.data.labels.find((l) => l.id === id)?.name).sort();
    expect(labelNames).toEqual([input.finding.publicId, 'Vulnbridge'].sort());
    // Nothing was removed from the text: the evidence is there verbatim.
    expect(issue.description).toBe(noteText);
    expect(sb.store.data.notes.find((n) => n.issueId === issueId && !n.system)?.body).toBe(noteText);
    for (const verbatim of [
      input.vulnerability.description,
      input.finding.attack,
      input.finding.evidence,
      input.finding.responseBody,
    ])
      expect(issue.description).toContain(verbatim);
    // Nobody was notified, nothing was referenced, no issue got a "mentioned in" note.
    for (const u of sb.users) expect(sb.admin.todos(u.username)).toEqual([]);
    expect(sb.admin.references()).toEqual([]);
    expect(sb.store.data.notes.filter((n) => n.system && /mentioned in/.test(n.body))).toEqual([]);

    // Control: the same text outside code does act in this sandbox.
    const control = await api(`/issues/${iid}`, 'PUT', { description: EVIL });
    expect(control.status).toBe(200);
    expect(sb.admin.issue(PATH, iid)!.state).toBe('closed');
    expect(sb.admin.references().length).toBeGreaterThan(0);
  });
});
