import { defineConfig } from 'vitest/config';

/**
 * Clone the repository and run npm start and npm test inside the clone (a fresh clone; an embedded
 * installation made by an earlier commit, upgraded): see their project below.
 */
const FRESH_CLONE = ['test/setup/fresh-clone.test.ts', 'test/setup/embedded-upgrade.test.ts'];
/** Each runs the embedded database on EMBEDDED_PG_PORT, or several processes: one file at a time, after the rest. */
const OPS = 'test/ops/**/*.test.ts';
const SCALE_OUT = 'test/ops/scale-out.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/count-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'app', include: ['test/**/*.test.ts'], exclude: [...FRESH_CLONE, OPS], globalSetup: ['test/support/global-setup.ts'] } },
      // Their child processes would take the CPU from timing-sensitive tests (worker crash, SLA clock),
      // so they run after them, alone and one at a time; they start their own databases, so no
      // global set-up here.
      { extends: true, test: { name: 'fresh-clone', include: FRESH_CLONE, fileParallelism: false, sequence: { groupOrder: 2 } } },
      // Supervision, backups and restores, the production build: the embedded database on
      // EMBEDDED_PG_PORT (which the embedded upgrade above uses too), so one file at a time, after it.
      { extends: true, test: { name: 'ops', include: [OPS], exclude: [SCALE_OUT], fileParallelism: false, sequence: { groupOrder: 2 } } },
      // A real PostgreSQL from Debian's packages, a Redis, two API and two worker processes: alone, last.
      { extends: true, test: { name: 'scale-out', include: [SCALE_OUT], sequence: { groupOrder: 3 } } },
    ],
  },
});
