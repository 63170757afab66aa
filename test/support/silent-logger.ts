import { createLogger } from '../../src/lib/logger.ts';

export const silentLogger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
