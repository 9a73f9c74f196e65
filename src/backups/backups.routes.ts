import { z } from 'zod';
import { listPage } from '../http/cursor.ts';
import { defineRoute, ok } from '../http/route.ts';

const view = (b: { id: string; trigger: string; status: string; startedAt: Date; finishedAt: Date; path: string; bytes: bigint | null; files: number | null; manifestSha256: string | null; backupMs: number | null; verifyMs: number | null; auditEntries: number | null; auditHeadSeq: bigint | null; samples: number | null; error: string | null }) => ({
  ...b,
  startedAt: b.startedAt.toISOString(),
  finishedAt: b.finishedAt.toISOString(),
  bytes: b.bytes === null ? null : Number(b.bytes),
  auditHeadSeq: b.auditHeadSeq === null ? null : Number(b.auditHeadSeq),
});

export const backupRoutes = [
  defineRoute({
    method: 'get', path: '/backups', tag: 'Operations', roles: ['ADMIN', 'MANAGER'],
    summary: 'List backups, newest first, each with the result of restoring it into a scratch server and verifying the audit trail there',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(100).optional() }),
    handler: async ({ query, deps }) => {
      const page = await listPage(
        query.limit, query.cursor,
        (args) => deps.db.backup.findMany({ orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], ...args }),
        async (id) => !!(await deps.db.backup.findUnique({ where: { id }, select: { id: true } })),
      );
      const c = deps.config;
      return ok({
        items: page.items.map(view),
        nextCursor: page.nextCursor,
        schedule: c.BACKUP_DIR ? { dir: c.BACKUP_DIR, everyHours: c.BACKUP_EVERY_HOURS, keep: c.BACKUP_KEEP } : null,
      });
    },
  }),
];
