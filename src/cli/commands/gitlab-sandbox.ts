import type { Command } from 'commander';

// `vulnbridge gitlab-sandbox`: starts the GitLab sandbox (src/sandbox) and prints one JSON line with
// its URL and credentials. The sandbox is loaded only when this command runs.
const PROFILES = ['gitlab.com', 'self-managed', 'off'] as const;
type Profile = (typeof PROFILES)[number];

interface Options {
  port: string;
  host: string;
  seed?: string;
  latency?: string;
  faults?: string;
  rateLimits: string;
  redirectUri: string[];
  autoApprove?: string | boolean;
  stateFile?: string;
}

function integer(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('gitlab-sandbox')
    .description('start a local GitLab sandbox (OAuth, REST v4, webhooks, rate limits, fault injection)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8929')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed <file>', 'JSON seed spec or saved state to start from')
    .option('--latency <ms>', 'latency added to every request')
    .option('--faults <spec>', 'fault rules, e.g. "error=0.1:status=503,lost=1:method=POST:path=/issues:times=1"')
    .option('--rate-limits <profile>', `rate-limit profile: ${PROFILES.join(' | ')}`, 'self-managed')
    .option(
      '--redirect-uri <url>',
      'redirect URI of the OAuth application (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option('--auto-approve [username]', 'sign in and approve OAuth requests without a page (default user: the first)')
    .option('--state-file <file>', 'load state from this file if present, save to it on exit')
    .action(async (opts: Options) => {
      if (!PROFILES.includes(opts.rateLimits as Profile)) {
        throw new Error(`--rate-limits must be one of ${PROFILES.join(', ')}`);
      }
      const { startSandbox } = await import('../../sandbox/index.ts');
      const sandbox = await startSandbox({
        port: integer('port', opts.port),
        host: opts.host,
        ...(opts.seed ? { seed: opts.seed } : {}),
        ...(opts.latency ? { latencyMs: integer('latency', opts.latency) } : {}),
        ...(opts.faults ? { faults: opts.faults } : {}),
        rateLimits: opts.rateLimits as Profile,
        ...(opts.redirectUri.length ? { redirectUris: opts.redirectUri } : {}),
        ...(opts.autoApprove !== undefined ? { autoApprove: opts.autoApprove } : {}),
        ...(opts.stateFile ? { stateFile: opts.stateFile } : {}),
      });
      process.stdout.write(
        `${JSON.stringify({ url: sandbox.url, users: sandbox.users, oauthApplication: sandbox.oauthApplication })}\n`,
      );
      const stop = () => {
        sandbox.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
