import { z } from 'zod';
import type { AuthUser } from '../auth/sessions.ts';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../intake/intake.schemas.ts';
import { pageArgs, pageOf } from '../http/cursor.ts';
import type { Db, Tx } from '../lib/db.ts';
import { appendAudit } from '../audit/audit.ts';
import { requestNotifications } from '../notifications/plan.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';
import { requestRelateOnCase } from '../intelligence/relate.request.ts';

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
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(100).optional() }),
    handler: async ({ query, user, deps }) => {
      const rows = await deps.db.case.findMany({
        where: user.role === 'INVESTIGATOR' ? { assigneeId: user.id } : {},
        orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
        ...pageArgs(query.limit, query.cursor),
      });
      const page = pageOf(rows, query.limit);
      return ok({ items: page.items.map(caseSummary), nextCursor: page.nextCursor });
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
  defineRoute({
    method: 'post', path: '/cases/:id/assign', tag: 'Cases', summary: 'Assign a case to an investigator', roles: ['MANAGER'],
    params: ZIdParam, body: z.strictObject({ investigatorId: z.uuid() }),
    handler: ({ params, body, user, write, deps }) =>
      write(async (tx) => {
        const now = deps.clock.now();
        const before = await lockCase(tx, params.id);
        const inv = await tx.user.findUnique({ where: { id: body.investigatorId } });
        if (!inv || inv.role !== 'INVESTIGATOR' || inv.disabledAt) {
          throw new AppError('VALIDATION_FAILED', 'Not an active investigator', [{ path: 'body.investigatorId', message: 'must be an active INVESTIGATOR' }]);
        }
        if (before.assigneeId === inv.id) return ok(caseSummary(before));
        const after = await tx.case.update({ where: { id: before.id }, data: { assigneeId: inv.id } });
        await tx.caseEvent.create({ data: { caseId: before.id, type: 'ASSIGNED', at: now, byId: user.id, data: { from: before.assigneeId, to: inv.id } } });
        await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'case.assign', entityType: 'Case', entityId: before.id, before, after }, now);
        await requestNotifications(tx, { type: 'CASE_ASSIGNED', caseId: before.id, assigneeId: inv.id });
        return ok(caseSummary(after));
      }),
  }),
  defineRoute({
    method: 'post', path: '/cases/:id/seizures', tag: 'Cases', summary: 'Link another seizure to a case', roles: ['INVESTIGATOR', 'MANAGER'],
    params: ZIdParam, body: z.strictObject({ seizureId: z.uuid() }),
    handler: ({ params, body, user, write, deps }) =>
      write(async (tx) => {
        const now = deps.clock.now();
        const kase = await lockCase(tx, params.id);
        if (user.role === 'INVESTIGATOR' && kase.assigneeId !== user.id) throw notFound('Case');
        const [seizure] = await tx.$queryRaw<{ id: string; caseId: string | null }[]>`SELECT id, "caseId" FROM "Seizure" WHERE id = ${body.seizureId}::uuid FOR UPDATE`;
        if (!seizure) throw new AppError('VALIDATION_FAILED', 'No such seizure', [{ path: 'body.seizureId', message: 'no seizure with this id' }]);
        if (seizure.caseId && seizure.caseId !== kase.id) throw conflict('The seizure already belongs to another case');
        if (!seizure.caseId) {
          await tx.seizure.update({ where: { id: seizure.id }, data: { caseId: kase.id } });
          await tx.caseEvent.create({ data: { caseId: kase.id, type: 'SEIZURE_LINKED', at: now, byId: user.id, data: { seizureId: seizure.id } } });
          await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'case.link-seizure', entityType: 'Seizure', entityId: seizure.id, before: { caseId: null }, after: { caseId: kase.id } }, now);
          await requestRelateOnCase(tx, seizure.id, now);
        }
        return ok({ ...caseSummary(kase), seizureId: seizure.id });
      }),
  }),
];

async function lockCase(tx: Tx, id: string) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Case" WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound('Case');
  return (await tx.case.findUnique({ where: { id } }))!;
}
