import type { Db } from '../lib/db.ts';
import { handleError } from '../lib/handle-error.ts';
import type { Logger } from '../lib/logger.ts';
import { throttledWarn } from '../lib/log-throttle.ts';
import { withTimeout } from '../lib/timeout.ts';
import { KEEP_COMPLETED, listenPostgres, type QueueKit } from './backend.ts';
import { OUTBOX_CHANNEL } from './outbox.ts';

type TClaimed = { id: string; queue: string; jobName: string; payload: unknown; jobId: string | null };

export type JobDefaults = { attempts: number; backoffMs?: number; perJob?: Partial<Record<string, { attempts: number; backoffMs: number }>> };

const BATCH = 200;
const CLAIM_MS = 30_000;
const POLL_MS = 1_000;
/** BullMQ waits for its datastore forever; a relay must not hold its claim that long. */
const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Publishes outbox rows to the queue. Rows are claimed with a lease (FOR UPDATE SKIP LOCKED, so many
 * relays can run), published outside any transaction, then marked. A relay killed between publish
 * and mark leaves the lease to expire: the row is published again with the same job id, and the
 * idempotent processors absorb the repeat.
 */
export class OutboxRelay {
  private unlisten?: () => Promise<void>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly warnings;

  constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    private readonly kit: QueueKit,
    private readonly defaults: JobDefaults,
    private readonly log: Logger,
  ) {
    this.warnings = throttledWarn(log);
  }

  async start(): Promise<void> {
    // NOTIFY wakes the relay at once; the poll covers a listener that is away (it reconnects itself).
    this.unlisten = await listenPostgres(this.databaseUrl, OUTBOX_CHANNEL, () => this.kick(), (err) =>
      this.warnings.warn('listen', err, {}, 'outbox listener lost; polling until it is back'));
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.kick();
  }

  /** Runs a drain now, or once more right after the one in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => this.warnings.recovered('drain', 'outbox drains again'))
      .catch((err) => this.warnings.warn('drain', err, {}, 'outbox drain failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes until the outbox is empty; returns how many rows were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.claim();
      if (!rows.length) return total;
      total += await this.publish(rows);
      if (rows.length < BATCH) return total;
    }
  }

  private claim(): Promise<TClaimed[]> {
    return this.db.$queryRaw<TClaimed[]>`
      UPDATE "OutboxMessage" SET "claimedUntil" = now() + ${CLAIM_MS} * interval '1 millisecond'
      WHERE id IN (
        SELECT id FROM "OutboxMessage"
        WHERE "publishedAt" IS NULL AND ("claimedUntil" IS NULL OR "claimedUntil" < now())
        ORDER BY "createdAt" LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, queue, "jobName", payload, "jobId"`;
  }

  private async publish(rows: TClaimed[]): Promise<number> {
    const byQueue = new Map<string, TClaimed[]>();
    for (const r of rows) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    let published = 0;
    for (const [queue, group] of byQueue) {
      const ids = group.map((r) => r.id);
      try {
        const jobs = group.map((r) => ({
          name: r.jobName,
          data: r.payload,
          opts: {
            jobId: r.jobId ?? r.id,
            attempts: this.defaults.perJob?.[r.jobName]?.attempts ?? this.defaults.attempts,
            backoff: { type: 'exponential' as const, delay: this.defaults.perJob?.[r.jobName]?.backoffMs ?? this.defaults.backoffMs ?? 1000 },
            removeOnComplete: KEEP_COMPLETED[this.kit.kind],
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        }));
        // A lone job is added as one: on the PostgreSQL backend a bulk add builds temporary tables
        // (catalog writes) however few jobs it carries, and most drains find one row.
        const q = this.kit.queue(queue);
        const add: Promise<unknown> = jobs.length === 1 ? q.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts) : q.addBulk(jobs);
        add.catch(() => {});
        await withTimeout(add, PUBLISH_TIMEOUT_MS, `queue backend did not accept the jobs within ${PUBLISH_TIMEOUT_MS} ms`);
        await this.db.$executeRaw`
          UPDATE "OutboxMessage" SET "publishedAt" = now(), attempts = attempts + 1 WHERE id = ANY(${ids}::uuid[])`;
        published += group.length;
      } catch (err) {
        // Leave the rows for a later drain; a short lease instead of the full one means "retry soon".
        await this.db.$executeRaw`
          UPDATE "OutboxMessage" SET attempts = attempts + 1, "lastError" = ${(err as Error).message},
            "claimedUntil" = now() + interval '2 seconds'
          WHERE id = ANY(${ids}::uuid[])`;
        this.warnings.warn(`publish-${queue}`, err, { queue, count: group.length }, 'publish failed; rows stay in the outbox');
      }
    }
    return published;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.unlisten?.();
  }
}
