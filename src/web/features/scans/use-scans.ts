import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type VulnerabilityInfo,
  findingEnvelopeSchema,
  findingPageSchema,
  scanListSchema,
  scanReportSchema,
  targetEnvelopeSchema,
} from '../../../contracts/index.ts';
import { api } from '../../api/client.ts';
import { type UploadScanOptions, uploadScan } from '../../api/upload.ts';

export const scansKey = ['scans'] as const;
const id = encodeURIComponent;

/** Every scan of the organization, newest first. */
export function useScans() {
  return useQuery({
    queryKey: [...scansKey, 'all'],
    queryFn: async () => (await api('/scans', { schema: scanListSchema })).scans,
  });
}

/** One target's scans, newest first. */
export function useTargetScans(targetId: string) {
  return useQuery({
    queryKey: [...scansKey, 'target', targetId],
    queryFn: async () => (await api(`/targets/${id(targetId)}/scans`, { schema: scanListSchema })).scans,
  });
}

export function useTarget(targetId: string) {
  return useQuery({
    queryKey: ['targets', targetId],
    queryFn: async () => (await api(`/targets/${id(targetId)}`, { schema: targetEnvelopeSchema })).target,
  });
}

/** A scan and its vulnerabilities, most severe first. A stored scan never changes. */
export function useScanReport(scanId: string) {
  return useQuery({
    queryKey: [...scansKey, 'report', scanId],
    queryFn: () => api(`/scans/${id(scanId)}`, { schema: scanReportSchema }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Findings are fetched in pages of this many (the API's maximum). */
export const FINDINGS_PAGE = 500;

/** The query of one page of a vulnerability's findings (findings of a stored scan never change). */
export function findingPageQuery(vulnerabilityId: string, page: number) {
  return {
    queryKey: ['findings', vulnerabilityId, page],
    queryFn: () =>
      api(`/vulnerabilities/${id(vulnerabilityId)}/findings?offset=${page * FINDINGS_PAGE}&limit=${FINDINGS_PAGE}`, {
        schema: findingPageSchema,
      }),
    staleTime: Number.POSITIVE_INFINITY,
  };
}

/** The pages of a vulnerability's findings that hold the rows in view, fetched on demand. */
export function useFindingPages(vulnerabilityId: string, pages: number[]) {
  return useQueries({ queries: pages.map((page) => findingPageQuery(vulnerabilityId, page)) });
}

export const locateKey = (vulnerabilityId: string, findingId: string) =>
  ['finding-located', vulnerabilityId, findingId] as const;

/**
 * A finding named by a deep link, and its row index: the API has no single-finding read, so the
 * vulnerability's pages are read (from the cache when they are there) until it turns up.
 */
export function useLocatedFinding(vulnerability: VulnerabilityInfo | null, findingId: string | null) {
  const queryClient = useQueryClient();
  const vulnerabilityId = vulnerability?.id ?? '';
  return useQuery({
    queryKey: locateKey(vulnerabilityId, findingId ?? ''),
    enabled: Boolean(vulnerability && findingId),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      const pages = Math.ceil((vulnerability?.findingCount ?? 0) / FINDINGS_PAGE);
      for (let page = 0; page < pages; page++) {
        const data = await queryClient.fetchQuery(findingPageQuery(vulnerabilityId, page));
        const index = data.findings.findIndex((finding) => finding.id === findingId);
        if (index >= 0) return { finding: data.findings[index]!, index: data.offset + index };
      }
      return null;
    },
  });
}

/**
 * Reveals a finding's masked secrets (Contributor or above; the server records it in the audit log).
 * The answer is kept by the caller only, never in the query cache, so closing the finding forgets it.
 */
export function useRevealFinding() {
  return useMutation({
    mutationFn: async ({ scanId, findingId }: { scanId: string; findingId: string }) =>
      (
        await api(`/scans/${id(scanId)}/findings/${id(findingId)}/reveal`, {
          method: 'POST',
          body: {},
          schema: findingEnvelopeSchema,
        })
      ).finding,
    gcTime: 0,
  });
}

/** Uploads a report; on success the scan lists are refetched. */
export function useUploadScan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (options: UploadScanOptions) => uploadScan(options),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: scansKey });
      // Split sites may have created targets.
      void queryClient.invalidateQueries({ queryKey: ['targets'] });
    },
  });
}
