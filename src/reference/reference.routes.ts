import { z } from 'zod';
import { appendAudit } from '../audit/audit.ts';
import { searchSubstances } from '../domain/substances.rules.ts';
import { defineRoute, ok } from '../http/route.ts';
import { AppError, notFound } from '../lib/errors.ts';

export const referenceRoutes = [
  defineRoute({
    method: 'get', path: '/ports', tag: 'Reference', summary: 'List ports of entry', roles: 'any',
    handler: async ({ deps }) => {
      const ports = await deps.db.port.findMany({ orderBy: { code: 'asc' } });
      return ok(ports.map((p) => ({ code: p.code, name: p.name, state: p.state, dutyInvestigatorId: p.dutyInvestigatorId })));
    },
  }),
  defineRoute({
    method: 'put', path: '/ports/:code/duty', tag: 'Reference', summary: 'Set the on-duty investigator of a port', roles: ['MANAGER'],
    params: z.strictObject({ code: z.string().regex(/^\d{4}$/) }),
    body: z.strictObject({ investigatorId: z.uuid().nullable() }),
    handler: async ({ params, body, user, deps }) => {
      const now = deps.clock.now();
      const port = await deps.db.$transaction(async (tx) => {
        const before = await tx.port.findUnique({ where: { code: params.code } });
        if (!before) throw notFound('Port');
        if (body.investigatorId) {
          const inv = await tx.user.findUnique({ where: { id: body.investigatorId } });
          if (!inv || inv.role !== 'INVESTIGATOR' || inv.disabledAt) {
            throw new AppError('VALIDATION_FAILED', 'Not an active investigator', [{ path: 'body.investigatorId', message: 'must be an active INVESTIGATOR' }]);
          }
        }
        const after = await tx.port.update({ where: { code: params.code }, data: { dutyInvestigatorId: body.investigatorId } });
        await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'port.duty', entityType: 'Port', entityId: params.code, before, after }, now);
        return after;
      });
      return ok({ code: port.code, name: port.name, state: port.state, dutyInvestigatorId: port.dutyInvestigatorId });
    },
  }),
  defineRoute({
    method: 'get', path: '/substances', tag: 'Reference', summary: 'Search the substance catalogue', roles: 'any',
    query: z.object({ q: z.string().max(200).optional() }),
    handler: async ({ query, deps }) =>
      ok(
        searchSubstances(deps.engine.index, query.q).map((s) => ({
          id: s.id,
          name: s.name,
          synonyms: s.synonyms,
          cas: s.cas,
          category: s.category,
          schedule: s.control,
          thresholdClass: s.thresholdClass,
          deaCode: s.deaCode,
          hazard: s.hazard,
          controlledAsDerivativeOf: s.controlledAsDerivativeOf ?? null,
          temporaryUntil: s.temporaryUntil ?? null,
          asOf: s.asOf,
          source: s.source,
          catalogueVersion: deps.engine.ref.substances.version,
        })),
      ),
  }),
];
