import { defineConfig } from 'vitest/config';

// Test tiers: unit; API through app.inject on PGlite; the same API suite on PostgreSQL; CLI; browser end-to-end.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser pages animate and refresh; a second is too short for a loaded CI machine.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'api-pglite', include: ['tests/api/**/*.test.ts'], env: { TEST_DB: 'pglite' }, globalSetup: ['tests/helpers/global-setup.ts'] } },
      { extends: true, test: { name: 'api-postgres', include: ['tests/api/**/*.test.ts'], env: { TEST_DB: 'postgres' }, globalSetup: ['tests/helpers/global-setup.ts'] } },
      { extends: true, test: { name: 'cli', include: ['tests/cli/**/*.test.ts'], fileParallelism: false } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false, globalSetup: ['tests/e2e/global-setup.ts'] } },
    ],
  },
});
