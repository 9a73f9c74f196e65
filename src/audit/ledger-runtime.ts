import type { CoreDeps } from '../entry/deps.ts';
import { withTimeout } from '../lib/timeout.ts';
import type { QueueKit } from '../queue/backend.ts';
import { publishCheckpoint, scheduleCheckpoints, signerFor } from './checkpoint.job.ts';
import { startSealer } from './sealer.ts';

export type Ledger = { stop(): Promise<void> };

/**
 * The ledger's background work in a worker process: the sealer, and the checkpoint job scheduler
 * (every AUDIT_CHECKPOINT_MS). The signing key is read at start, so a missing or exposed key stops
 * the process at once rather than at the first checkpoint. Stopping seals what is committed and
 * signs a last checkpoint, so a shutdown leaves no entry outside a signed checkpoint.
 */
export function startLedger(deps: CoreDeps, queues: QueueKit): Ledger {
  const log = deps.log.child({ component: 'ledger' });
  signerFor(deps.config);
  const sealer = startSealer(deps.db, deps.clock, log, deps.config.AUDIT_SEAL_MS);
  const stopScheduler = scheduleCheckpoints(queues, deps.config.AUDIT_CHECKPOINT_MS, log);
  return {
    async stop() {
      stopScheduler();
      await sealer.stop();
      await withTimeout(publishCheckpoint({ ...deps, log }), 15_000, 'the database did not answer')
        .catch((err: unknown) => log.error({ err: (err as Error).message }, 'no checkpoint at shutdown'));
    },
  };
}
