export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

/** The scan report with a vulnerability and (optionally) a finding open. */
export function findingHref(scanId: string, vulnerabilityId: string, findingId?: string): string {
  const query = new URLSearchParams({ vulnerability: vulnerabilityId });
  if (findingId) query.set('finding', findingId);
  return `/scans/${encodeURIComponent(scanId)}?${query}`;
}

export const createdIssuesPath = (scanId: string) => `/scans/${encodeURIComponent(scanId)}/issues`;
