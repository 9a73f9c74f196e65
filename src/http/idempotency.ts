import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
import type { Reply } from './route.ts';

type TStored = { requestHash: string; status: number; response: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a key is scoped to besides its user: the method and the concrete path (`POST
 * /samples/<id>/tests`), so the same key sent for another sample is a different request, never a
 * replay of the first sample's answer. Ids are written in their canonical (lower-case) form, so one
 * sample is one scope however its id is spelled.
 */
export function idempotencyScope(method: string, pattern: string, params: Record<string, unknown>): string {
  const path = pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = String(params[name] ?? '');
    return encodeURIComponent(UUID.test(value) ? value.toLowerCase() : value);
  });
  return `${method.toUpperCase()} ${path}`;
}

/**
 * Runs `fn` in a transaction that first claims (userId, key, route: see idempotencyScope). Concurrent requests with the same
 * key block on the primary key until the first commits, then read its stored reply; if the first
 * fails, its claim rolls back with everything else and the next request does the work.
 */
export async function runIdempotent(
  db: Db,
  scope: { userId: string; key: string; route: string; body: unknown },
  fn: (tx: Tx) => Promise<Reply>,
): Promise<Reply> {
  if (!/^[\x21-\x7e]{1,200}$/.test(scope.key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 1–200 visible ASCII characters', [
      { path: 'headers.idempotency-key', message: 'invalid' },
    ]);
  }
  const requestHash = createHash('sha256').update(canonicalJson(scope.body ?? null)).digest('hex');
  return db.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO "IdempotencyKey" ("userId", key, route, "requestHash", status, response)
      VALUES (${scope.userId}::uuid, ${scope.key}, ${scope.route}, ${requestHash}, 0, 'null')
      ON CONFLICT DO NOTHING`;
    if (claimed === 0) {
      const rows = await tx.$queryRaw<TStored[]>`
        SELECT "requestHash", status, response FROM "IdempotencyKey"
        WHERE "userId" = ${scope.userId}::uuid AND key = ${scope.key} AND route = ${scope.route}`;
      const stored = rows[0]!;
      if (stored.requestHash !== requestHash) {
        throw new AppError('CONFLICT', 'This Idempotency-Key was already used with a different request body');
      }
      return { status: stored.status, body: JSON.parse(stored.response), headers: { 'Idempotent-Replayed': 'true' } };
    }
    const reply = await fn(tx);
    await tx.$executeRaw`
      UPDATE "IdempotencyKey" SET status = ${reply.status}, response = ${JSON.stringify(reply.body ?? null)}
      WHERE "userId" = ${scope.userId}::uuid AND key = ${scope.key} AND route = ${scope.route}`;
    return reply;
  }, { timeout: 15_000, maxWait: 10_000 });
}
