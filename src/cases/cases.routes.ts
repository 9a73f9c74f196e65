import { z } from 'zod';
import type { AuthUser } from '../auth/sessions.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../intake/intake.schemas.ts';
import type { Db } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';

/** An investigator sees only cases assigned to them; anything else is a 404, as if absent. */
async function loadCase(db: Db, id: string, user: AuthUser) {
  const kase = await db.case.findUnique({ where: { id }, include: { events: { orderBy: { id: 'asc' } } } });
  if (!kase || (user.role === 'INVESTIGATOR' && kase.assigneeId !== user.id)) throw notFound('Case');
  return kase;
}

const caseSummary = (c: { id: string; caseNumber: string; status: string; assigneeId: string | null; portCode: string; openedAt: Date }) => ({
  id: c.id, caseNumber: c.caseNumber, status: c.status, assigneeId: c.assigneeId, portCode: c.portCode, openedAt: c.openedAt,
});

export const caseRoutes = [
  defineRoute({
    method: 'get', path: '/cases', tag: 'Cases', summary: 'List cases', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    handler: async ({ query, user, deps }) => {
      const rows = await deps.db.case.findMany({
        where: user.role === 'INVESTIGATOR' ? { assigneeId: user.id } : {},
        orderBy: { openedAt: 'desc' },
        take: query.limit,
      });
      return ok({ items: rows.map(caseSummary), nextCursor: null });
    },
  }),
  defineRoute({
    method: 'get', path: '/cases/:id', tag: 'Cases', summary: 'Read a case', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'], params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      const kase = await loadCase(deps.db, params.id, user);
      const seizures = await deps.db.seizure.findMany({ where: { caseId: kase.id }, orderBy: { seizedAt: 'asc' } });
      const samples = await deps.db.sample.findMany({
        where: { OR: [{ caseId: kase.id }, { seizureId: { in: seizures.map((s) => s.id) } }] },
        include: { classifications: { orderBy: { version: 'desc' }, take: 1 } },
        orderBy: { registeredAt: 'asc' },
      });
      return ok({
        ...caseSummary(kase),
        seizures: seizures.map((s) => ({ id: s.id, seizureNumber: s.seizureNumber, portCode: s.portCode, seizedAt: s.seizedAt, subjectInCustody: s.subjectInCustody })),
        samples: samples.map((s) => {
          const c = s.classifications[0];
          return {
            id: s.id, barcode: s.barcode, seizureId: s.seizureId, form: s.form, status: s.status, netWeightG: s.netWeightG,
            classification: c ? { category: c.category, level: c.level, components: c.components, thresholds: c.thresholds, warnings: c.warnings, version: c.version } : null,
          };
        }),
        timeline: kase.events.map((e) => ({ type: e.type, at: e.at, by: e.byId, data: e.data })),
      });
    },
  }),
];
