import { Redis } from 'ioredis';
import pg from 'pg';
import type { TLimiterStore } from '../http/rate-limit.ts';
import {
  assertSchemaCompatibility,
  createPostgresBackend,
  LATEST_SCHEMA_VERSION,
  createRedisBackend,
  runMigrations,
  withBackend,
  type Job,
  type Queue,
  type QueueEvents,
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
  /** A listener for a queue's job events (completed, failed…), on its own connection; closed with the kit. */
  events(name: string): Promise<QueueEvents>;
  /** Fan-out to every process: Redis pub/sub, or PostgreSQL LISTEN/NOTIFY. At most once; the database stays the record. */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /** The same datastore, for state shared by every API instance (rate limits). */
  limiterStore: TLimiterStore;
  /** Throws when the datastore does not answer (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
};

/**
 * How long finished jobs stay on the queue board; the database, not the queue, is the record of what
 * was done. Redis trims a count cheaply. The PostgreSQL backend trims a count by scanning every job
 * the queue keeps on each completion (about 5 ms per job at 5,000 kept, measured with
 * bench:pipeline), so there the limit is the age alone, an index range on the finished jobs.
 */
export const KEEP_COMPLETED: Record<TBackendKind, { age: number; count?: number }> = {
  redis: { age: 3600, count: 5000 },
  postgres: { age: 3600 },
};

export type QueueKitOptions = { databaseUrl: string; redisUrl?: string; prefix: string };

const PG_SCHEMA = 'bullmq';

export async function createQueueKit(opts: QueueKitOptions): Promise<QueueKit> {
  return opts.redisUrl ? createRedisKit(opts.redisUrl, opts.prefix) : createPostgresKit(opts.databaseUrl, opts.prefix);
}

function createRedisKit(url: string, prefix: string): QueueKit {
  const { Queue: Q, Worker: W, QueueEvents: E } = withBackend(createRedisBackend);
  // Producers fail fast instead of buffering while Redis is away (the outbox keeps the work);
  // workers wait for Redis forever, as BullMQ requires.
  const producer = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  producer.on('error', () => {});
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  consumer.on('error', () => {});
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const listeners: QueueEvents[] = [];
  return {
    kind: 'redis',
    limiterStore: { kind: 'redis', client: producer },
    async publish(channel, message) {
      await producer.publish(`${prefix}:${channel}`, message);
    },
    async subscribe(channel, onMessage) {
      const sub = new Redis(url, { maxRetriesPerRequest: null });
      sub.on('error', () => {});
      const name = `${prefix}:${channel}`;
      sub.on('message', (ch, msg) => ch === name && onMessage(msg));
      // Not awaited: with Redis away the command waits in the offline queue, and ioredis resubscribes
      // after every reconnect; start-up must not wait for Redis.
      sub.subscribe(name).catch(() => {});
      return async () => void sub.disconnect();
    },
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
    async events(name) {
      // Reading the event stream blocks its connection: it gets one of its own, ended with it.
      const own = new Redis(url, { maxRetriesPerRequest: null });
      own.on('error', () => {});
      const e = new E(name, { connection: own, prefix }) as QueueEvents;
      e.on('error', () => {});
      const close = e.close.bind(e);
      e.close = async () => {
        await close();
        own.disconnect();
      };
      listeners.push(e);
      await e.waitUntilReady();
      return e;
    },
    async ping() {
      if ((await producer.ping()) !== 'PONG') throw new Error('redis did not answer PONG');
    },
    async close() {
      await Promise.allSettled([...listeners.map((e) => e.close()), ...workers.map((w) => w.close()), ...[...queues.values()].map((q) => q.close())]);
      producer.disconnect();
      consumer.disconnect();
    },
  };
}

async function createPostgresKit(url: string, prefix: string): Promise<QueueKit> {
  const { Queue: Q, Worker: W, QueueEvents: E } = withBackend(createPostgresBackend);
  const admin = new pg.Pool({ connectionString: url, max: 4 });
  admin.on('error', () => {});
  // Issue 14: the service role may not create schemas. The owner's migration step installs BullMQ's;
  // only a database that lacks it (or an older one) is migrated from here, which needs owner rights.
  if ((await assertSchemaCompatibility(admin, PG_SCHEMA).catch(() => 0)) < LATEST_SCHEMA_VERSION) await runMigrations(admin, PG_SCHEMA);
  // Each Queue/Worker owns a small pool plus one LISTEN connection: keep the pools small.
  const connection = { connectionString: url, schema: PG_SCHEMA, skipMigrations: true, max: 3 };
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const listeners: QueueEvents[] = [];
  const qualified = (name: string) => `${prefix}-${name}`;
  return {
    kind: 'postgres',
    limiterStore: { kind: 'postgres', pool: admin },
    async publish(channel, message) {
      await admin.query('SELECT pg_notify($1, $2)', [`${prefix}:${channel}`, message]);
    },
    subscribe: (channel, onMessage) => listenPostgres(url, `${prefix}:${channel}`, onMessage),
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
    async events(name) {
      const e = new E(qualified(name), { connection }) as unknown as QueueEvents;
      e.on('error', () => {});
      listeners.push(e);
      await e.waitUntilReady();
      return e;
    },
    async ping() {
      await admin.query('SELECT 1');
    },
    async close() {
      await Promise.allSettled([...listeners.map((e) => e.close()), ...workers.map((w) => w.close()), ...[...queues.values()].map((q) => q.close())]);
      await admin.end();
    },
  };
}

/**
 * LISTEN on a dedicated connection, reconnecting (every 2 s) for as long as the subscription lives.
 * `onLost` hears each lost or failed connection (callers that also poll just log it).
 */
export async function listenPostgres(
  url: string,
  channel: string,
  onMessage: (message: string) => void,
  onLost: (err: Error) => void = () => {},
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  const retry = (c: pg.Client, err: Error) => {
    // A dying connection can report more than one error (the server's FATAL, then the closed socket).
    c.removeAllListeners('error');
    c.on('error', () => {});
    client = undefined;
    void c.end().catch(() => {});
    onLost(err);
    if (!closed) setTimeout(() => void connect(), 2000).unref();
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => n.channel === channel && n.payload !== undefined && onMessage(n.payload));
    c.on('error', (err) => retry(c, err));
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      client = c;
    } catch (err) {
      retry(c, err as Error);
    }
  };
  await connect();
  return async () => {
    closed = true;
    await client?.end().catch(() => {});
  };
}
