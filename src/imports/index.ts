// The door of imports: a report file into scans (orchestration, storage, identities across scans).
export {
  type ImportRequest,
  importReport,
  SITES_MODES,
  type SitesMode,
  type TargetRef,
  WORKER_MIN_BYTES,
} from './import-file.ts';
export { type ImportProgress, type ImportSummary, type LeftOutSite, MultipleSitesError } from './import-report.ts';
