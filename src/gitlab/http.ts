// The transport under the typed client: base URL, token, JSON, GitLab's pagination headers, errors as
// GitlabError values, and the retry policy. `fetch` is injected (the guarded one in production).
import { describeGitlabBody, failureOf, GitlabError, parseRetryAfter, unreachable } from './errors.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay } from './retry-policy.ts';

export type Query = Record<string, string | number | boolean | undefined | (string | number)[]>;

export interface GitlabHttpOptions {
  /** Instance root, e.g. https://gitlab.example.com or https://example.com/gitlab */
  baseUrl: string;
  fetch: typeof fetch;
  /** Resolves the token for each attempt (a refresh between attempts is picked up). */
  token: () => Promise<string>;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

export interface Page<T> {
  items: T[];
  nextPage: number | null;
  total: number | null;
}

export function buildQuery(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(`${key}[]`, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class GitlabHttp {
  private readonly retry: RetryPolicy;
  constructor(private readonly options: GitlabHttpOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<{ data: T; headers: Headers; status: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, options);
      } catch (error) {
        if (!(error instanceof GitlabError)) throw error;
        const delay = retryDelay(this.retry, method, attempt, error);
        if (delay === null) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async page<T>(path: string, query: Query = {}): Promise<Page<T>> {
    const { data, headers } = await this.request<T[]>('GET', path, { query });
    const next = headers.get('x-next-page');
    const total = headers.get('x-total');
    return { items: data, nextPage: next ? Number(next) : null, total: total ? Number(total) : null };
  }

  /** Every page, following x-next-page (bounded, so a misbehaving server cannot loop us forever). */
  async all<T>(path: string, query: Query = {}, maxPages = 200): Promise<T[]> {
    const items: T[] = [];
    let page: number | null = 1;
    for (let n = 0; page !== null && n < maxPages; n++) {
      const result: Page<T> = await this.page<T>(path, { ...query, page, per_page: 100 });
      items.push(...result.items);
      page = result.nextPage;
    }
    return items;
  }

  private async once<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown },
  ): Promise<{ data: T; headers: Headers; status: number }> {
    const url = `${this.options.baseUrl}/api/v4${path}${buildQuery(options.query)}`;
    const token = await this.options.token();
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw unreachable(this.options.baseUrl, error, `${method} ${path}`);
    }
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    if (text && (response.headers.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!response.ok) {
      const failure = failureOf(response.status, body);
      const detail = describeGitlabBody(body);
      throw new GitlabError(
        failure,
        `GitLab answered ${response.status} to ${method} ${path}${detail ? `: ${detail}` : ''}`,
        response.status,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    return { data: (text === '' ? null : body) as T, headers: response.headers, status: response.status };
  }
}
