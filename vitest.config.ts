import { defineConfig } from 'vitest/config';

/** Clones the repository and runs npm start and npm test inside the clone: see its project below. */
const FRESH_CLONE = 'test/setup/fresh-clone.test.ts';
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
      { extends: true, test: { name: 'app', include: ['test/**/*.test.ts'], exclude: [FRESH_CLONE, OPS], globalSetup: ['test/support/global-setup.ts'] } },
      // Its child processes would take the CPU from timing-sensitive tests (worker crash, SLA clock),
      // so it runs after them, alone; the clone starts its own databases, so no global set-up here.
      { extends: true, test: { name: 'fresh-clone', include: [FRESH_CLONE], sequence: { groupOrder: 1 } } },
      // Supervision, backups and restores, the production build: the embedded database on one port, so one file at a time.
      { extends: true, test: { name: 'ops', include: [OPS], exclude: [SCALE_OUT], fileParallelism: false, sequence: { groupOrder: 1 } } },
      // A real PostgreSQL from Debian's packages, a Redis, two API and two worker processes: alone, last.
      { extends: true, test: { name: 'scale-out', include: [SCALE_OUT], sequence: { groupOrder: 2 } } },
    ],
  },
});
