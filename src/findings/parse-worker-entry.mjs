// Entry of the report-parsing worker thread: the sources are TypeScript run through tsx (as
// bin/vulnbridge.js does), and a worker thread does not inherit the loader, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
