/**
 * The normalised model every parser produces (DESIGN §4): a report names its sites, lists the kinds of
 * weakness it found (vulnerabilities) and, under each, every place it was found (findings).
 * All text is plain text: HTML from scanners is converted, never passed through; no NUL characters
 * and no lone surrogates survive. Absent text is the empty string, never undefined.
 */

export const REPORT_FORMATS = [
  'zap-json',
  'zap-xml',
  'nuclei-jsonl',
  'nuclei-json',
  'sarif',
  'gitlab-dast',
  'burp-xml',
  'wapiti-json',
] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['confirmed', 'high', 'medium', 'low', 'false_positive', 'unknown'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** HTTP headers in the order the message carried them: [name, value]. Duplicates are kept. */
export type HeaderList = Array<[name: string, value: string]>;

/** Names of finding fields that the size cap shortened. */
export type TextField =
  | 'url'
  | 'parameter'
  | 'attack'
  | 'evidence'
  | 'otherInfo'
  | 'requestHeaders'
  | 'requestBody'
  | 'responseHeaders'
  | 'responseBody';

export interface ParsedSite {
  /** The site as the report names it, usually an origin such as `http://localhost:3000`. */
  name: string;
  host: string;
  port: number | null;
  ssl: boolean | null;
}

export interface ParsedFinding {
  /** Stable identity of this finding at its target (see fingerprint.ts); unique within a report. */
  fingerprint: string;
  /** `ParsedSite.name` of the site this finding belongs to ('' when the report names none). */
  site: string;
  url: string;
  /** Upper-case HTTP method, '' when the tool gives none (e.g. DNS, file findings). */
  method: string;
  parameter: string;
  /** The attack/payload or proof of concept (e.g. a curl command) the tool used. */
  attack: string;
  evidence: string;
  otherInfo: string;
  /** Request line such as `GET /x HTTP/1.1`, '' when unknown. */
  requestLine: string;
  requestHeaders: HeaderList;
  requestBody: string;
  /** Status line such as `HTTP/1.1 200 OK`, '' when unknown. */
  responseStatusLine: string;
  responseHeaders: HeaderList;
  responseBody: string;
  /**
   * More request/response pairs of the same finding, after the one above (a Burp issue may carry
   * several); usually empty. Not part of the fingerprint.
   */
  additionalExchanges: HttpExchange[];
  /** Fields shortened by the size cap (each also ends with a visible truncation marker). */
  truncated: TextField[];
}

/** One more request and response of a finding (same shape as the finding's own). */
export interface HttpExchange {
  requestLine: string;
  requestHeaders: HeaderList;
  requestBody: string;
  responseStatusLine: string;
  responseHeaders: HeaderList;
  responseBody: string;
}

/**
 * Something a report left out that the import did without (an optional field missing in some results),
 * counted per kind: `message` reads like "12 results had no CWE".
 */
export interface ParseWarning {
  kind: string;
  count: number;
  message: string;
}

export interface ParsedVulnerability {
  /** The tool's identifier of the weakness (ZAP alertRef, Nuclei template[:matcher], SARIF rule id…). */
  ruleKey: string;
  name: string;
  severity: Severity;
  confidence: Confidence;
  cwe: number | null;
  wasc: number | null;
  /** OWASP Top 10 category where the report says so, e.g. `A03:2021`. */
  owasp: string | null;
  description: string;
  solution: string;
  references: string[];
  findings: ParsedFinding[];
}

/** A report without its vulnerabilities and warnings (what a streaming import knows up front). */
export type ReportHeader = Omit<ParsedReport, 'vulnerabilities' | 'warnings'>;

export interface ParsedReport {
  format: ReportFormat;
  tool: string;
  toolVersion: string;
  /** ISO 8601 (UTC) when the report says when the scan started / finished; undefined otherwise. */
  startedAt?: string;
  finishedAt?: string;
  /** Sites or targets named in the report, including those with no finding, in report order. */
  sites: ParsedSite[];
  vulnerabilities: ParsedVulnerability[];
  /** Optional fields the report left out, counted per kind (see each parser's header). */
  warnings: ParseWarning[];
}

export interface ParseOptions {
  /** Skip detection and parse as this format. */
  format?: ReportFormat;
  /** Longest text field kept, in UTF-8 bytes (default 1 MiB); longer fields are cut and marked. */
  maxFieldBytes?: number;
}

/** A report as bytes, as text, or as a path to a file to read. */
export type ReportInput = Uint8Array | string | { path: string };
