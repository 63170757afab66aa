export * from './accounts.ts';
export * from './audit.ts';
export * from './targets.ts';
export * from './scan-views.ts';
export * from './scans.ts';
export * from './settings.ts';
