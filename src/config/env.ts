// One zod schema over the environment, parsed once at boot. A bad value stops the start with a message
// listing every bad variable. No secret has a default: `loadSecretKey` (key-file.ts) generates one into
// ./data/ for a fresh checkout and says so.
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const secretKey = z.string().refine((value) => decodeKey(value) !== null, {
  message: 'must be 32 bytes as 64 hex characters or base64 (generate one with `openssl rand -hex 32`)',
});

export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .min(1)
    .default('./data/vulnbridge.sqlite')
    .refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^postgres(ql)?:\/\//i.test(value), {
      message: 'must be a SQLite file path or a postgres:// URL',
    }),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  VULNBRIDGE_SECRET_KEY: secretKey.optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  /** Also append every log line to this file (standard error keeps them too). */
  LOG_FILE: z.string().min(1).optional(),
  /** `host:port` (or `host` for the scheme's default port only) entries, comma-separated; IPv6 in brackets. */
  GITLAB_ALLOWED_HOSTS: z
    .string()
    .default('')
    .refine(
      (value) =>
        value
          .split(',')
          .every((entry) =>
            /^\s*((\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d{1,5})?|[0-9a-f:.]*:[0-9a-f:.]*)?\s*$/i.test(entry),
          ),
      {
        message: 'must be a comma-separated list of host or host:port (IPv6 in brackets, e.g. [::1]:8929)',
      },
    ),
  VULNBRIDGE_DATA_DIR: z.string().min(1).default('./data'),
  GITLAB_COM_URL: z.url({ protocol: /^https?$/ }).default('https://gitlab.com'),
  GITLAB_COM_CLIENT_ID: z.string().min(1).optional(),
  GITLAB_COM_CLIENT_SECRET: z.string().min(1).optional(),
  PRODUCT_LABEL: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((v) => !v.includes(','), { message: 'must not contain a comma' })
    .default('Vulnbridge'),
  ISSUE_CREATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(200),
  REDACT_EXTRA_NAMES: z.string().default(''),
  JOB_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
  RECONCILE_EVERY_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .max(86_400_000)
    .default(5 * 60_000),
  MAX_REPORT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

/** The hub's public root: PUBLIC_URL, else http://localhost:PORT. */
export function publicUrl(env: Env): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse the environment; throws ConfigError naming every bad variable at once. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const result = envSchema.safeParse(picked);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Decode a 32-byte key given as 64 hex characters or base64; null when it is neither. */
export function decodeKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}
