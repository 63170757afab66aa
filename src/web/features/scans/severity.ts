import type { SeverityName } from '../../../contracts/index.ts';

export const severityOrder: SeverityName[] = ['critical', 'high', 'medium', 'low', 'info'];

export const severityLabels: Record<SeverityName, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Informational',
};

/** Mantine colour of each severity (badges use the theme's AA-contrast light variants). */
export const severityColors: Record<SeverityName, string> = {
  critical: 'grape',
  high: 'red',
  medium: 'orange',
  low: 'yellow',
  info: 'blue',
};

/** Bar fills of the chart: shade 7 for critical/high, lighter for the rest, all ≥ 3:1 on white. */
export const severityFills: Record<SeverityName, string> = {
  critical: 'var(--mantine-color-grape-8)',
  high: 'var(--mantine-color-red-8)',
  medium: 'var(--mantine-color-orange-8)',
  low: 'var(--mantine-color-yellow-8)',
  info: 'var(--mantine-color-blue-7)',
};

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

/** Bytes for people: 1.2 MB, 840 kB, 312 B. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export const formatLabels: Record<string, string> = {
  'zap-json': 'ZAP JSON',
  'zap-xml': 'ZAP XML',
  'nuclei-jsonl': 'Nuclei JSON Lines',
  'nuclei-json': 'Nuclei JSON',
  sarif: 'SARIF 2.1.0',
  'gitlab-dast': 'GitLab DAST JSON',
  'burp-xml': 'Burp Suite XML',
  'wapiti-json': 'Wapiti JSON',
};

export function formatLabel(format: string): string {
  return formatLabels[format] ?? format;
}
