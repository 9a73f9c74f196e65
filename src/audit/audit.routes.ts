import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { consistencyFor, listCheckpoints, listEntries, proofFor, verifyNow } from './audit.usecases.ts';

const ZLimit = z.coerce.number().int().min(1).max(500).default(50);
const ZSeq = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const ZAuditQuery = z.strictObject({
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.uuid().optional(),
  /** The record whose chain to read: a sample's includes its custody, tests, classifications and reviews. */
  recordType: z.string().max(60).optional(),
  recordId: z.string().max(100).optional(),
  limit: ZLimit,
  /** Opaque: from the previous page's nextCursor. */
  cursor: z.string().regex(/^\d{1,18}$/).optional(),
});

const AUDIT_READERS = ['MANAGER', 'ADMIN'] as const;

export const auditRoutes = [
  defineRoute({
    method: 'get', path: '/audit', tag: 'Audit', summary: 'Read the append-only audit trail (oldest first)', roles: AUDIT_READERS,
    query: ZAuditQuery,
    handler: async ({ query, deps }) => ok(await listEntries(deps.db, query)),
  }),
  defineRoute({
    method: 'get', path: '/audit/verify', tag: 'Audit', summary: 'Check every entry, every record chain and every signed checkpoint against the log', roles: AUDIT_READERS,
    handler: async ({ deps }) => ok(await verifyNow(deps.db, deps.config)),
  }),
  defineRoute({
    method: 'get', path: '/audit/checkpoints', tag: 'Audit', summary: 'Signed checkpoints of the audit log (oldest first) and the key that signs them', roles: AUDIT_READERS,
    query: z.strictObject({ limit: ZLimit, cursor: z.string().regex(/^\d{1,9}$/).optional() }),
    handler: async ({ query, deps }) => ok(await listCheckpoints(deps.db, deps.config, query)),
  }),
  defineRoute({
    method: 'get', path: '/audit/proof', tag: 'Audit', summary: 'Inclusion proof (RFC 6962) of one sealed entry, up to a signed checkpoint', roles: AUDIT_READERS,
    query: z.strictObject({ seq: ZSeq, treeSize: ZSeq.optional() }),
    handler: async ({ query, deps }) => ok(await proofFor(deps.db, query.seq, query.treeSize)),
  }),
  defineRoute({
    method: 'get', path: '/audit/consistency', tag: 'Audit', summary: 'Consistency proof (RFC 6962) that the log of `to` entries extends the log of `from`', roles: AUDIT_READERS,
    query: z.strictObject({ from: ZSeq, to: ZSeq }),
    handler: async ({ query, deps }) => ok(await consistencyFor(deps.db, query.from, query.to)),
  }),
];
