export * from './auth.ts';
export * from './common.ts';
export * from './jobs.ts';
export * from './targets.ts';
export * from './scans.ts';
export * from './envelopes.ts';
export * from './gitlab.ts';
export * from './tracking.ts';
