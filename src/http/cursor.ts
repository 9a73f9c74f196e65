import { AppError } from '../lib/errors.ts';

/**
 * List cursors: the last row's id, opaque to clients. Prisma pages from that row in the list's own
 * order (`cursor` + `skip: 1`), so any stable ordering that ends in the id works.
 */
export const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');

export function decodeCursor(c: string): string {
  const id = Buffer.from(c, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('VALIDATION_FAILED', 'Invalid cursor', [{ path: 'query.cursor', message: 'invalid' }]);
  return id;
}

/** Prisma arguments for one page after `cursor`, fetching one extra row to know whether more follow. */
export const pageArgs = (limit: number, cursor?: string) => ({ take: limit + 1, ...(cursor ? { cursor: { id: decodeCursor(cursor) }, skip: 1 } : {}) });

/** Cuts the extra row and says where the next page starts. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.id) : null };
}
