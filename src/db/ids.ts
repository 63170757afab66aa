import { randomBytes } from 'node:crypto';

/** A random, URL-safe, time-ordered id: 12 hex chars of milliseconds then 16 random hex chars. */
export function newId(): string {
  return Date.now().toString(16).padStart(12, '0') + randomBytes(8).toString('hex');
}

/** Now as the ISO 8601 UTC string every time column stores. */
export function nowIso(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString();
}
