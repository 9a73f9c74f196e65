import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { findVisibleSample } from '../samples/access.ts';
import { ZIdParam } from '../http/params.ts';
import { CUSTODY_ACTIONS } from '../domain/closed-sets.ts';
import { custodyView, recordCustody } from './custody.usecases.ts';

const ZCustody = z.strictObject({
  action: z.enum(CUSTODY_ACTIONS),
  toUserId: z.uuid().optional(),
  location: z.string().trim().min(1).max(200).optional(),
  sealNumber: z.string().trim().min(1).max(100).optional(),
  sealIntact: z.boolean().optional(),
  weightG: z.number().positive().max(1_000_000).optional(),
  witnessId: z.uuid().optional(),
  note: z.string().trim().max(2000).optional(),
});

export const custodyRoutes = [
  defineRoute({
    method: 'post', path: '/samples/:id/custody', tag: 'Custody', summary: 'Record a chain-of-custody event', roles: ['TECHNICIAN'],
    params: ZIdParam, body: ZCustody,
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await recordCustody(tx, params.id, body, user, deps.clock.now()), 201)),
  }),
  defineRoute({
    method: 'get', path: '/samples/:id/custody', tag: 'Custody', summary: 'The chain of custody, oldest first', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      await findVisibleSample(deps.db, user, params.id);
      const events = await deps.db.custodyEvent.findMany({ where: { sampleId: params.id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      return ok({ items: events.map(custodyView), nextCursor: null });
    },
  }),
];
