import { FingerprintAssigner, type FingerprintParts, fingerprint } from './fingerprint.ts';
import { capText, cleanText } from './normalize.ts';
import type {
  Confidence,
  HeaderList,
  HttpExchange,
  ParsedFinding,
  ParsedReport,
  ParsedSite,
  ParsedVulnerability,
  ParseWarning,
  ReportFormat,
  ReportHeader,
  Severity,
  TextField,
} from './types.ts';

/** What a parser knows about a kind of weakness; text already converted to plain text. */
export interface VulnerabilitySeed {
  ruleKey: string;
  name: string;
  severity: Severity;
  confidence?: Confidence;
  cwe?: number | null;
  wasc?: number | null;
  owasp?: string | null;
  description?: string;
  solution?: string;
  references?: string[];
}

/** What a parser knows about one instance; raw text, capped and cleaned by the builder. */
export interface FindingSeed {
  site?: string;
  url?: string;
  method?: string;
  parameter?: string;
  attack?: string;
  evidence?: string;
  otherInfo?: string;
  requestLine?: string;
  requestHeaders?: HeaderList;
  requestBody?: string;
  responseStatusLine?: string;
  responseHeaders?: HeaderList;
  responseBody?: string;
  /** More request/response pairs of the same finding (raw text, capped like the first). */
  additionalExchanges?: HttpExchange[];
}

const CAPPED_TEXT: TextField[] = ['url', 'parameter', 'attack', 'evidence', 'otherInfo', 'requestBody', 'responseBody'];

/**
 * Collects vulnerabilities (grouped by rule and severity, in order of first appearance) and their
 * findings, caps every field, and gives each finding its fingerprint.
 */
export class ReportBuilder {
  private readonly vulns = new Map<string, ParsedVulnerability>();
  private readonly sites = new Map<string, ParsedSite>();
  private readonly fingerprints = new FingerprintAssigner();
  /** How many vulnerabilities drain() has already handed out. */
  private announced = 0;
  /** Findings added since the last drain() or build(), whose fingerprints are not settled yet. */
  private unsettled: Array<{ finding: ParsedFinding; parts: FingerprintParts; discriminator: string }> = [];
  private readonly warned = new Map<string, { unit: [string, string]; what: string; count: number }>();

  constructor(
    readonly format: ReportFormat,
    private readonly maxFieldBytes: number,
  ) {}

  addSite(site: ParsedSite): void {
    if (site.name !== '' && !this.sites.has(site.name)) this.sites.set(site.name, site);
  }

  /** Adds the site a URL belongs to (its origin) and returns its name; '' when the URL has no origin. */
  siteOf(url: string): string {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return '';
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
    const name = u.origin;
    const ssl = u.protocol === 'https:';
    this.addSite({ name, host: u.hostname, port: u.port ? Number(u.port) : ssl ? 443 : 80, ssl });
    return name;
  }

  /**
   * Counts one more occurrence of an optional field the report left out; warnings() words it as
   * "12 results had no CWE" (`unit` singular and plural, then `what`).
   */
  warn(kind: string, unit: [singular: string, plural: string], what: string): void {
    const entry = this.warned.get(kind);
    if (entry) entry.count++;
    else this.warned.set(kind, { unit, what, count: 1 });
  }

  /** The warnings counted so far, in order of first occurrence. */
  warnings(): ParseWarning[] {
    return [...this.warned].map(([kind, { unit, what, count }]) => ({
      kind,
      count,
      message: `${count} ${count === 1 ? unit[0] : unit[1]} ${what}`,
    }));
  }

  vulnerability(seed: VulnerabilitySeed): ParsedVulnerability {
    const key = `${seed.ruleKey}\u0000${seed.severity}`;
    const existing = this.vulns.get(key);
    if (existing) return existing;
    const cap = (s: string | undefined) => capText(s ?? '', this.maxFieldBytes).text;
    const v: ParsedVulnerability = {
      ruleKey: cap(seed.ruleKey),
      name: cap(seed.name) || cap(seed.ruleKey),
      severity: seed.severity,
      confidence: seed.confidence ?? 'unknown',
      cwe: seed.cwe ?? null,
      wasc: seed.wasc ?? null,
      owasp: seed.owasp ?? null,
      description: cap(seed.description),
      solution: cap(seed.solution),
      references: (seed.references ?? []).map((r) => cap(r)).filter((r) => r !== ''),
      findings: [],
    };
    this.vulns.set(key, v);
    return v;
  }

  addFinding(v: ParsedVulnerability, seed: FindingSeed): ParsedFinding {
    const truncated: TextField[] = [];
    const text: Record<string, string> = {};
    for (const field of CAPPED_TEXT) {
      const capped = capText((seed[field as keyof FindingSeed] as string | undefined) ?? '', this.maxFieldBytes);
      if (capped.truncated) truncated.push(field);
      text[field] = capped.text;
    }
    const requestHeaders = this.capHeaders(seed.requestHeaders ?? [], 'requestHeaders', truncated);
    const responseHeaders = this.capHeaders(seed.responseHeaders ?? [], 'responseHeaders', truncated);
    const method = cleanText(seed.method ?? '')
      .trim()
      .toUpperCase()
      .slice(0, 32);
    const url = text.url ?? '';
    const parameter = text.parameter ?? '';
    const finding: ParsedFinding = {
      fingerprint: '',
      site: seed.site ?? '',
      url,
      method,
      parameter,
      attack: text.attack ?? '',
      evidence: text.evidence ?? '',
      otherInfo: text.otherInfo ?? '',
      requestLine: capText(seed.requestLine ?? '', 8192).text,
      requestHeaders,
      requestBody: text.requestBody ?? '',
      responseStatusLine: capText(seed.responseStatusLine ?? '', 8192).text,
      responseHeaders,
      responseBody: text.responseBody ?? '',
      additionalExchanges: (seed.additionalExchanges ?? []).map((x) => this.capExchange(x, truncated)),
      truncated,
    };
    v.findings.push(finding);
    this.unsettled.push({
      finding,
      parts: { ruleKey: v.ruleKey, method, url, parameter },
      discriminator: `${text.evidence ?? ''}\u0000${text.attack ?? ''}`,
    });
    return finding;
  }

  /**
   * Gives the findings added since the last call their fingerprints. Findings at the same place are
   * settled in the order of their evidence and attack, not in the order the report lists them: the
   * same findings listed in another order get the same fingerprints (a tool's order among same-place
   * findings is not stable from one scan to the next). Only findings handed out in the same piece are
   * ordered so; a streamed ZAP alert is one piece, and other formats are parsed whole.
   */
  private settle(): void {
    if (this.unsettled.length === 0) return;
    const order = this.unsettled.map((u, i) => ({ u, i, plain: fingerprint(u.parts) }));
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    order.sort((a, b) => cmp(a.plain, b.plain) || cmp(a.u.discriminator, b.u.discriminator) || a.i - b.i);
    for (const { u, plain } of order) u.finding.fingerprint = this.fingerprints.assign(u.parts, u.discriminator, plain);
    this.unsettled = [];
  }

  /** A further request/response pair, capped as the finding's own (a cut marks the finding's request/response fields). */
  private capExchange(x: HttpExchange, truncated: TextField[]): HttpExchange {
    const body = (value: string, field: TextField) => {
      const capped = capText(value, this.maxFieldBytes);
      if (capped.truncated && !truncated.includes(field)) truncated.push(field);
      return capped.text;
    };
    return {
      requestLine: capText(x.requestLine, 8192).text,
      requestHeaders: this.capHeaders(x.requestHeaders, 'requestHeaders', truncated),
      requestBody: body(x.requestBody, 'requestBody'),
      responseStatusLine: capText(x.responseStatusLine, 8192).text,
      responseHeaders: this.capHeaders(x.responseHeaders, 'responseHeaders', truncated),
      responseBody: body(x.responseBody, 'responseBody'),
    };
  }

  /** Header names and values are cleaned; the list is cut when its total size passes the cap. */
  private capHeaders(headers: HeaderList, field: TextField, truncated: TextField[]): HeaderList {
    const out: HeaderList = [];
    let total = 0;
    for (const [name, value] of headers) {
      const n = capText(name, 1024);
      const val = capText(value, this.maxFieldBytes);
      total += n.text.length + val.text.length + 4;
      if (total > this.maxFieldBytes || val.truncated) {
        if (!truncated.includes(field)) truncated.push(field);
        if (total > this.maxFieldBytes) break;
      }
      out.push([n.text, val.text]);
    }
    return out;
  }

  build(meta: ReportMeta): ParsedReport {
    this.settle();
    return { ...this.header(meta), vulnerabilities: [...this.vulns.values()], warnings: this.warnings() };
  }

  /** The report without its vulnerabilities: what a streaming reader knows before the first finding. */
  header(meta: ReportMeta): ReportHeader {
    const header: ReportHeader = {
      format: this.format,
      tool: capText(meta.tool, 256).text,
      toolVersion: capText(meta.toolVersion, 256).text,
      sites: [...this.sites.values()],
    };
    if (meta.startedAt) header.startedAt = meta.startedAt;
    if (meta.finishedAt) header.finishedAt = meta.finishedAt;
    return header;
  }

  /**
   * For streaming: hands out the vulnerabilities created and the findings added since the last call
   * (each vulnerability with its index in report order) and forgets those findings, so the whole
   * model never exists at once. A vulnerability created with no finding yet is handed out too.
   */
  drain(): DrainedPart[] {
    this.settle();
    const out: DrainedPart[] = [];
    let index = 0;
    for (const vulnerability of this.vulns.values()) {
      if (index >= this.announced || vulnerability.findings.length > 0) {
        out.push({ vulnerability, index, findings: vulnerability.findings.splice(0) });
      }
      index++;
    }
    this.announced = this.vulns.size;
    return out;
  }
}

export interface ReportMeta {
  tool: string;
  toolVersion: string;
  startedAt?: string;
  finishedAt?: string;
}

/** A report's vulnerabilities found so far, with the findings added since the previous part. */
export interface DrainedPart {
  /** Its `findings` array is not the vulnerability's findings: use the part's `findings`. */
  vulnerability: ParsedVulnerability;
  /** Position of the vulnerability in the report (order of first appearance). */
  index: number;
  findings: ParsedFinding[];
}

/**
 * A finding in the form the import stores it: its text columns in this order, with the header lists
 * and truncation marks already JSON. Parts come from the parser thread in this form: a flat array of
 * strings costs the import thread about half as much to receive as the finding object, and the JSON
 * is made on the parser thread, which has time to spare, instead of on the import thread, which has not.
 */
export type PackedFinding = [
  fingerprint: string,
  site: string,
  url: string,
  method: string,
  parameter: string,
  attack: string,
  evidence: string,
  otherInfo: string,
  requestLine: string,
  requestHeaders: string,
  requestBody: string,
  responseStatusLine: string,
  responseHeaders: string,
  responseBody: string,
  truncated: string,
  additionalExchanges: string,
];

/** A DrainedPart with its findings packed. */
export interface PackedPart {
  vulnerability: ParsedVulnerability;
  index: number;
  packed: PackedFinding[];
}

export function packFinding(f: ParsedFinding): PackedFinding {
  return [
    f.fingerprint,
    f.site,
    f.url,
    f.method,
    f.parameter,
    f.attack,
    f.evidence,
    f.otherInfo,
    f.requestLine,
    JSON.stringify(f.requestHeaders),
    f.requestBody,
    f.responseStatusLine,
    JSON.stringify(f.responseHeaders),
    f.responseBody,
    JSON.stringify(f.truncated),
    JSON.stringify(f.additionalExchanges),
  ];
}

export function packPart({ vulnerability, index, findings }: DrainedPart): PackedPart {
  return { vulnerability, index, packed: findings.map(packFinding) };
}
