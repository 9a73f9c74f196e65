import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { verifyAuditChain } from './verify.ts';

const ZAuditQuery = z.strictObject({
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** The last `seq` of the previous page. */
  cursor: z.string().regex(/^\d{1,18}$/).optional(),
});

export const auditRoutes = [
  defineRoute({
    method: 'get', path: '/audit', tag: 'Audit', summary: 'Read the append-only audit trail (oldest first)', roles: ['MANAGER', 'ADMIN'],
    query: ZAuditQuery,
    handler: async ({ query, deps }) => {
      const rows = await deps.db.auditEntry.findMany({
        where: {
          ...(query.entityType ? { entityType: query.entityType } : {}),
          ...(query.entityId ? { entityId: query.entityId } : {}),
          ...(query.actorId ? { actorId: query.actorId } : {}),
          ...(query.cursor ? { seq: { gt: BigInt(query.cursor) } } : {}),
        },
        orderBy: { seq: 'asc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      return ok({
        items: page.map((e) => ({ ...e, seq: Number(e.seq), at: e.at.toISOString() })),
        nextCursor: rows.length > query.limit ? String(page.at(-1)!.seq) : null,
      });
    },
  }),
  defineRoute({
    method: 'get', path: '/audit/verify', tag: 'Audit', summary: 'Recompute the hash chain and report the first bad entry', roles: ['MANAGER', 'ADMIN'],
    handler: async ({ deps }) => ok(await verifyAuditChain(deps.db)),
  }),
];
