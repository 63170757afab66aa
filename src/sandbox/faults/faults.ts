// Fault injection. Rules are tried in order for each request (admin paths are never faulted):
// latency rules add delay; the first other rule that matches and fires decides the request's fate.
// `times` counts down so a test can script "the next POST /issues loses its response" exactly.
//
// Spec (CLI --faults): comma-separated rules `kind=value(:key=value)*`, value is the probability
// (or milliseconds for latency). Keys: method, path (substring), times, status, form, retry_after.
//   latency=200                      every request 200 ms slower
//   error=0.1:status=503             10% of requests answer 503 without being applied
//   429=1:times=5                    the next 5 requests get a throttle 429 (burst)
//   timeout=0.05                     5% never get an answer
//   reset=0.05                       5% have the connection reset before anything is applied
//   lost=1:method=POST:path=/issues:times=1   the next issue create is applied, the client gets 502
//   lost=1:status=0:times=1          ... applied, and the connection is reset instead

export type FaultKind = 'latency' | 'error' | 'rate_limit' | 'timeout' | 'reset' | 'lost';

export interface FaultRule {
  kind: FaultKind;
  /** Chance (0..1) that the rule fires on a matching request. Default 1. */
  probability?: number;
  /** How many more times the rule may fire; absent = unlimited. */
  times?: number;
  method?: string;
  /** Substring of the path, or a regular expression written as `/.../`. */
  path?: string;
  /** latency: added milliseconds. */
  ms?: number;
  /** error: status to answer (default 500); lost: 502 (default) or 0 for a connection reset. */
  status?: number;
  /** rate_limit: 'throttle' (plain text + Retry-After, default) or 'application' (JSON, no headers). */
  form?: 'throttle' | 'application';
  retryAfter?: number;
}

export interface FaultDecision {
  latencyMs: number;
  rule: FaultRule | null;
}

const KINDS: Record<string, FaultKind> = {
  latency: 'latency',
  error: 'error',
  '5xx': 'error',
  rate_limit: 'rate_limit',
  '429': 'rate_limit',
  timeout: 'timeout',
  reset: 'reset',
  lost: 'lost',
};

export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [head, ...opts] = part.split(':');
    const [k, v] = (head ?? '').split('=');
    const kind = KINDS[(k ?? '').trim().toLowerCase()];
    if (!kind) throw new Error(`unknown fault kind in "${part}"`);
    const value = Number(v ?? (kind === 'latency' ? '0' : '1'));
    if (!Number.isFinite(value) || value < 0) throw new Error(`bad fault value in "${part}"`);
    const rule: FaultRule = kind === 'latency' ? { kind, ms: value } : { kind, probability: Math.min(1, value) };
    for (const opt of opts) {
      const [ok, ov = ''] = opt.split('=');
      const key = (ok ?? '').trim().toLowerCase();
      if (key === 'method') rule.method = ov.toUpperCase();
      else if (key === 'path') rule.path = ov;
      else if (key === 'times') rule.times = Number(ov);
      else if (key === 'status') rule.status = Number(ov);
      else if (key === 'form') rule.form = ov === 'application' ? 'application' : 'throttle';
      else if (key === 'retry_after') rule.retryAfter = Number(ov);
      else if (key === 'p' || key === 'probability') rule.probability = Number(ov);
      else throw new Error(`unknown fault option "${key}" in "${part}"`);
    }
    rules.push(rule);
  }
  return rules;
}

/** Small deterministic PRNG (mulberry32) so fractional faults are reproducible with a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  rules: FaultRule[] = [];
  baseLatencyMs = 0;
  private random: () => number;

  constructor(seed = 1) {
    this.random = prng(seed);
  }

  set(rules: FaultRule[], baseLatencyMs?: number): void {
    this.rules = rules.map((r) => ({ ...r }));
    if (baseLatencyMs !== undefined) this.baseLatencyMs = baseLatencyMs;
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
    this.baseLatencyMs = 0;
  }

  decide(method: string, path: string): FaultDecision {
    let latencyMs = this.baseLatencyMs;
    let chosen: FaultRule | null = null;
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !pathMatches(rule.path, path)) continue;
      if (rule.kind === 'latency') {
        if (this.random() < (rule.probability ?? 1)) latencyMs += rule.ms ?? 0;
        continue;
      }
      if (chosen) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      if (rule.times !== undefined) rule.times -= 1;
      chosen = rule;
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.times > 0);
    return { latencyMs, rule: chosen };
  }
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    return new RegExp(pattern.slice(1, -1)).test(path);
  }
  return path.includes(pattern);
}
