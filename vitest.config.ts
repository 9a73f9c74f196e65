import { defineConfig } from 'vitest/config';

/** Clones the repository and runs npm start and npm test inside the clone: see its project below. */
const FRESH_CLONE = 'test/setup/fresh-clone.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/count-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'app', include: ['test/**/*.test.ts'], exclude: [FRESH_CLONE], globalSetup: ['test/support/global-setup.ts'] } },
      // Its child processes would take the CPU from timing-sensitive tests (worker crash, SLA clock),
      // so it runs after them, alone; the clone starts its own databases, so no global set-up here.
      { extends: true, test: { name: 'fresh-clone', include: [FRESH_CLONE], sequence: { groupOrder: 1 } } },
    ],
  },
});
