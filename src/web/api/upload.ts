import { type ImportSummaryInfo, importResultSchema } from '../../contracts/index.ts';
import { ApiError, errorFrom, getCsrfToken, parseRetryAfter } from './client.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadScanOptions {
  targetId: string;
  file: File;
  /** A report format name; absent to let the server detect it. */
  format?: string | undefined;
  /** A report of several sites: only this target's site (default), all into this target, or one scan per site. */
  sites?: 'target' | 'all' | 'split';
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Uploads a scan report as multipart/form-data with XMLHttpRequest, whose upload events report the
 * bytes sent (fetch cannot). Resolves with the imports the server made; rejects with an ApiError.
 */
export function uploadScan(options: UploadScanOptions): Promise<ImportSummaryInfo[]> {
  const { targetId, file, format, sites, onProgress, signal } = options;
  const form = new FormData();
  // Fields before the file, so the server knows them before it reads the (possibly large) file.
  if (format) form.append('format', format);
  if (sites) form.append('sites', sites);
  form.append('file', file, file.name);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/targets/${encodeURIComponent(targetId)}/scans`);
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);

    xhr.upload.addEventListener('progress', (event) => {
      onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    });
    xhr.addEventListener('load', () => {
      let payload: unknown = null;
      try {
        payload = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const retryAfter = parseRetryAfter(xhr.getResponseHeader('Retry-After'));
        reject(errorFrom(xhr.status, xhr.statusText, payload, retryAfter));
        return;
      }
      const parsed = importResultSchema.safeParse(payload);
      if (!parsed.success) {
        reject(
          new ApiError(xhr.status, 'unexpected_response', 'The server sent an answer this page does not understand'),
        );
        return;
      }
      resolve(parsed.data.imports);
    });
    xhr.addEventListener('error', () => {
      reject(new ApiError(0, 'network', 'The Vulnbridge server could not be reached'));
    });
    xhr.addEventListener('abort', () => {
      reject(new ApiError(0, 'aborted', 'The upload was cancelled'));
    });
    if (signal) {
      if (signal.aborted) return xhr.abort();
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
