import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The 1,000-finding fault run takes 4–8 minutes on a loaded 2-core machine and is not yet free of
    // flakes (see the closing note): `npm run test:faults` runs it; `npm test` does not.
    exclude: ['**/node_modules/**', ...(process.env.VB_SLOW_TESTS === '1' ? [] : ['test/hardening/push-faults.test.ts'])],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
