import type { Logger } from '../lib/logger.ts';
import { withTimeout } from '../lib/timeout.ts';

/**
 * Sets a repeating job's scheduler (BullMQ upserts it by id, so one per deployment whichever process
 * starts first), retried in the background every 5 s until the queue backend answers: a process starts
 * while Redis or the database is away. Returns the function that stops the retries.
 */
export function keepTrying(set: () => Promise<unknown>, log: Logger, what: string): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async () => {
    try {
      const pending = set();
      pending.catch(() => {});
      await withTimeout(pending, 5_000, 'queue backend did not answer');
    } catch (err) {
      log.warn({ err: (err as Error).message }, `${what} not set yet; retrying`);
      if (!stopped) timer = setTimeout(() => void attempt(), 5_000);
    }
  };
  void attempt();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
