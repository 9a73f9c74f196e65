import type { Redis } from 'ioredis';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../lib/errors.ts';

/**
 * Rate limits come from rate-limiter-flexible (well kept, atomic on both stores) rather than our own
 * counters. Limits that must hold across API instances (sign-in) live in the queue backend's store:
 * Redis when the queues run on Redis, PostgreSQL otherwise. An in-memory limiter with the same budget
 * stands in while that store is unreachable, so an outage neither opens the gate nor locks everyone out.
 */
export type TLimiterStore = { kind: 'redis'; client: Redis } | { kind: 'postgres'; pool: pg.Pool };

export type TLimit = { keyPrefix: string; points: number; durationS: number };

export function sharedLimiter(store: TLimiterStore, limit: TLimit): RateLimiterAbstract {
  const base = { keyPrefix: limit.keyPrefix, points: limit.points, duration: limit.durationS };
  const insuranceLimiter = new RateLimiterMemory(base);
  if (store.kind === 'redis') return new RateLimiterRedis({ ...base, storeClient: store.client, insuranceLimiter, rejectIfRedisNotReady: true });
  // The table comes from the migrations (tableCreated): no DDL at run time.
  return new RateLimiterPostgres({ ...base, storeClient: store.pool, tableName: 'rate_limit', tableCreated: true, insuranceLimiter, clearExpiredByTimeout: true });
}

export const localLimiter = (limit: TLimit) => new RateLimiterMemory({ keyPrefix: limit.keyPrefix, points: limit.points, duration: limit.durationS });

/** Takes one point for each key; the first refusal becomes a 429 with Retry-After (seconds). */
export async function consume(limiter: RateLimiterAbstract, keys: string[], what: string): Promise<void> {
  for (const key of keys) {
    try {
      await limiter.consume(key);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfterS = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new AppError('RATE_LIMITED', `Too many ${what}; try again in ${retryAfterS} s`, undefined, { 'Retry-After': String(retryAfterS) });
    }
  }
}
