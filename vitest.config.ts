import { defineConfig } from 'vitest/config';

/**
 * Clone the repository and run npm start and npm test inside the clone (a fresh clone; an embedded
 * installation made by an earlier commit, upgraded): see their project below.
 */
const FRESH_CLONE = ['test/setup/fresh-clone.test.ts', 'test/setup/embedded-upgrade.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/count-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'app', include: ['test/**/*.test.ts'], exclude: FRESH_CLONE, globalSetup: ['test/support/global-setup.ts'] } },
      // Their child processes would take the CPU from timing-sensitive tests (worker crash, SLA clock),
      // so they run after them, alone and one at a time; they start their own databases, so no
      // global set-up here.
      { extends: true, test: { name: 'fresh-clone', include: FRESH_CLONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
