export { ScansPage } from './scans-page.tsx';
export { ScanReportPage } from './scan-report-page.tsx';
export { ScansTable } from './scans-table.tsx';
export { UploadScanModal } from './upload-scan-modal.tsx';
export { useTarget, useTargetScans } from './use-scans.ts';
