import type { QueueKit } from '../../src/queue/backend.ts';

/**
 * Resolves when a job of `queue` that a worker picked up at or after `since` (wall clock, ms) has
 * completed: the positive signal that the work ran, for tests proving that it changed nothing.
 */
export async function completedRunAfter(kit: QueueKit, queue: string, since: number, timeoutMs = 30_000): Promise<void> {
  const events = await kit.events(queue);
  const q = kit.queue(queue);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${queue} job completed within ${timeoutMs} ms`)), timeoutMs);
      events.on('completed', ({ jobId }) => {
        void q.getJob(jobId).then((job) => {
          if (job?.processedOn !== undefined && job.processedOn >= since) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    });
  } finally {
    await events.close();
  }
}
