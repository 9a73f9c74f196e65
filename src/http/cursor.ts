import { AppError } from '../lib/errors.ts';

/**
 * List cursors: the last row's id, opaque to clients. Prisma pages from that row in the list's own
 * order (`cursor` + `skip: 1`), so any stable ordering that ends in the id works.
 */
export const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const invalidCursor = (message: string) => new AppError('VALIDATION_FAILED', 'Invalid cursor', [{ path: 'query.cursor', message }]);

/** The row id inside a cursor; anything that is not base64url of a uuid is a 400. */
export function decodeCursor(c: string): string {
  const id = /^[A-Za-z0-9_-]*$/.test(c) ? Buffer.from(c, 'base64url').toString('latin1').toLowerCase() : '';
  if (!UUID.test(id)) throw invalidCursor('not a cursor this API issued');
  return id;
}

export type TPageArgs = { take: number; cursor?: { id: string }; skip?: number };

/**
 * One page of a list, after `cursor`: fetches one extra row to know whether more follow. A cursor
 * must name a row: Prisma answers an empty page for one that does not, which a client would take for
 * the end of the list, so an empty page after a cursor checks that its row exists (400 if not).
 */
export async function listPage<T extends { id: string }>(
  limit: number,
  cursor: string | undefined,
  fetch: (args: TPageArgs) => Promise<T[]>,
  rowExists: (id: string) => Promise<boolean>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const rows = await fetch({ take: limit + 1, ...(after ? { cursor: { id: after }, skip: 1 } : {}) });
  if (after && !rows.length && !(await rowExists(after))) throw invalidCursor('names no row of this list');
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.id) : null };
}
