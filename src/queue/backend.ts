import { Redis } from 'ioredis';
import pg from 'pg';
import type { TLimiterStore } from '../http/rate-limit.ts';
import {
  createPostgresBackend,
  createRedisBackend,
  runMigrations,
  withBackend,
  type Job,
  type Queue,
  type Worker,
  type WorkerOptions,
} from 'bullmq';

export type TBackendKind = 'postgres' | 'redis';

/**
 * The only place that knows which datastore carries the queues. Everything that defines, produces
 * or processes jobs asks this kit for a Queue or a Worker and never sees a connection.
 */
export type QueueKit = {
  kind: TBackendKind;
  queue(name: string): Queue;
  worker(name: string, processor: (job: Job) => Promise<unknown>, opts: Omit<WorkerOptions, 'connection'>): Worker;
  /** The same datastore, for state shared by every API instance (rate limits). */
  limiterStore: TLimiterStore;
  /** Throws when the datastore does not answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type QueueKitOptions = { databaseUrl: string; redisUrl?: string; prefix: string };

const PG_SCHEMA = 'bullmq';

export async function createQueueKit(opts: QueueKitOptions): Promise<QueueKit> {
  return opts.redisUrl ? createRedisKit(opts.redisUrl, opts.prefix) : createPostgresKit(opts.databaseUrl, opts.prefix);
}

function createRedisKit(url: string, prefix: string): QueueKit {
  const { Queue: Q, Worker: W } = withBackend(createRedisBackend);
  // Producers fail fast instead of buffering while Redis is away (the outbox keeps the work);
  // workers wait for Redis forever, as BullMQ requires.
  const producer = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  producer.on('error', () => {});
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  consumer.on('error', () => {});
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  return {
    kind: 'redis',
    limiterStore: { kind: 'redis', client: producer },
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = new Q(name, { connection: producer, prefix }) as Queue;
        q.on('error', () => {});
        queues.set(name, q);
      }
      return q;
    },
    worker(name, processor, wopts) {
      const w = new W(name, processor, { ...wopts, connection: consumer, prefix }) as Worker;
      workers.push(w);
      return w;
    },
    async ping() {
      if ((await producer.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
    },
    async close() {
      await Promise.allSettled([...workers.map((w) => w.close()), ...[...queues.values()].map((q) => q.close())]);
      producer.disconnect();
      consumer.disconnect();
    },
  };
}

async function createPostgresKit(url: string, prefix: string): Promise<QueueKit> {
  const { Queue: Q, Worker: W } = withBackend(createPostgresBackend);
  const admin = new pg.Pool({ connectionString: url, max: 4 });
  admin.on('error', () => {});
  await runMigrations(admin, PG_SCHEMA);
  // Each Queue/Worker owns a small pool plus one LISTEN connection: keep the pools small.
  const connection = { connectionString: url, schema: PG_SCHEMA, skipMigrations: true, max: 3 };
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const qualified = (name: string) => `${prefix}-${name}`;
  return {
    kind: 'postgres',
    limiterStore: { kind: 'postgres', pool: admin },
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = new Q(qualified(name), { connection }) as unknown as Queue;
        q.on('error', () => {});
        queues.set(name, q);
      }
      return q;
    },
    worker(name, processor, wopts) {
      const w = new W(qualified(name), processor, { ...wopts, connection }) as unknown as Worker;
      workers.push(w);
      return w;
    },
    async ping() {
      await admin.query('SELECT 1');
    },
    async close() {
      await Promise.allSettled([...workers.map((w) => w.close()), ...[...queues.values()].map((q) => q.close())]);
      await admin.end();
    },
  };
}
