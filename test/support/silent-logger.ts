import { createLogger } from '../../src/lib/logger.ts';
import { captureLogDestination } from './capture.ts';

// Silent, unless VB_CAPTURE_DIR is set (`npm test`): then everything down to trace goes to a file there,
// for scripts/secret-scan.ts to search for secrets.
const capture = captureLogDestination();
export const silentLogger = capture
  ? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'trace', destination: capture })
  : createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
