/** Helpers for the findings tests (not part of the door). */
import { fileURLToPath } from 'node:url';
import type { ParsedFinding, ParsedReport } from './types.ts';

/** The real-report fixtures, resolved from this file: <repo>/test/fixtures/reports/ (see its SOURCES.md). */
export const REPORT_FIXTURES = new URL('../../test/fixtures/reports/', import.meta.url);
export const LOCAL_FIXTURES = new URL('./parsers/__fixtures__/', import.meta.url);

export function reportFixture(name: string): { path: string } {
  return { path: fileURLToPath(new URL(name, REPORT_FIXTURES)) };
}

export function localFixture(name: string): { path: string } {
  return { path: fileURLToPath(new URL(name, LOCAL_FIXTURES)) };
}

export function allFindings(report: ParsedReport): ParsedFinding[] {
  return report.vulnerabilities.flatMap((v) => v.findings);
}

export function vulnByRule(report: ParsedReport, ruleKey: string) {
  const v = report.vulnerabilities.find((x) => x.ruleKey === ruleKey);
  if (!v) throw new Error(`no vulnerability ${ruleKey}`);
  return v;
}
