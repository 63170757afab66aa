// Capture for the "secrets never leak" check in the browser tests (only with VB_CAPTURE_DIR set, as
// `npm test` does). A recording reverse proxy stands in front of the hub, so every response the hub
// gives to anyone (the browser, `page.request`, the `request` fixture, the sandbox's webhook
// deliveries) is written to the capture dir and its secrets (passwords sent, session cookies and API
// tokens received) to the ledger, whatever the spec does; and each page's final HTML is saved when
// its context closes. scripts/secret-scan.ts reads both.
import { writeFileSync } from 'node:fs';
import { Agent, type IncomingHttpHeaders, createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import { captureDir, maskInvitationLink, recordExchange } from '../test/support/capture.ts';

export { captureDir };

const KEEP_BYTES = 4 * 1024 * 1024;
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade'];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

/**
 * Listens on `port` (the hub's public port) and forwards everything to the hub on `hubPort`,
 * unchanged but for `accept-encoding` (dropped, so the captured bodies are plain text). Responses
 * stream through as they come (server-sent events too).
 */
export async function startCaptureProxy(port: number, hubPort: number): Promise<{ close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true });
  const seenAssets = new Set<string>();
  const server = createServer((req, res) => {
    const headers = withoutHopByHop(req.headers);
    delete headers['accept-encoding'];
    const requestChunks: Buffer[] = [];
    let requestBytes = 0;
    const upstream = httpRequest(
      { host: '127.0.0.1', port: hubPort, method: req.method, path: req.url, headers, agent },
      (hub) => {
        res.writeHead(hub.statusCode ?? 502, hub.statusMessage, withoutHopByHop(hub.headers));
        res.flushHeaders();
        const chunks: Buffer[] = [];
        let kept = 0;
        hub.on('data', (chunk: Buffer) => {
          res.write(chunk);
          if (kept < KEEP_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        hub.on('end', () => res.end());
        hub.on('close', () => {
          if (!res.writableEnded) res.destroy();
          const path = (req.url ?? '/').split('?')[0] ?? '/';
          // Built assets are the same bytes every time: keep each once.
          const asset = path.startsWith('/assets/');
          if (asset && seenAssets.has(path)) return;
          if (asset) seenAssets.add(path);
          let requestBody: unknown;
          if (String(req.headers['content-type'] ?? '').includes('json')) {
            try {
              requestBody = JSON.parse(Buffer.concat(requestChunks).toString('utf8'));
            } catch {
              requestBody = undefined;
            }
          }
          recordExchange({
            source: 'e2e',
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            requestHeaders: req.headers,
            requestBody,
            status: hub.statusCode ?? 0,
            headers: hub.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502);
        res.end();
      } else {
        res.destroy();
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.on('data', (chunk: Buffer) => {
      if (requestBytes < KEEP_BYTES) requestChunks.push(chunk);
      requestBytes += chunk.length;
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

const wrapped = new WeakSet<BrowserContext>();
let pageCount = 0;

function slug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/**
 * Saves the final HTML of every page of this context that shows the hub, just before the context
 * closes (Playwright's fixture closes it after the test; `close` is wrapped on this instance only).
 */
export function capturePagesOnClose(context: BrowserContext, hubUrl: string, info: TestInfo): void {
  const dir = captureDir();
  if (!dir || wrapped.has(context)) return;
  wrapped.add(context);
  const close = context.close.bind(context);
  const name = slug(info.titlePath.join(' '));
  context.close = async (options?: { reason?: string }) => {
    for (const page of context.pages()) await savePage(page, dir, hubUrl, name);
    return close(options);
  };
}

async function savePage(page: Page, dir: string, hubUrl: string, name: string): Promise<void> {
  if (page.isClosed() || !page.url().startsWith(hubUrl)) return;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000).unref());
  const html = await Promise.race([page.content().catch(() => null), timeout]);
  if (html === null) return;
  writeFileSync(
    join(dir, `page-${process.pid}-${++pageCount}-${name}.html`),
    `<!-- ${maskInvitationLink(page.url().split('?')[0] ?? '')} -->\n${html}`,
  );
}
