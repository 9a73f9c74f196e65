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
      // The log names its people for every reader, investigators included, and keeps naming
      // those since disabled: a chain of custody is read in court long after staff have left.
      const ids = [...new Set(events.flatMap((e) => [e.fromUserId, e.toUserId, e.witnessId, e.recordedById]).filter((id): id is string => !!id))];
      const names = new Map((await deps.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
      const nameOf = (id: string | null) => (id ? names.get(id) ?? null : null);
      return ok({
        items: events.map((e) => ({
          ...custodyView(e),
          fromUserName: nameOf(e.fromUserId), toUserName: nameOf(e.toUserId), witnessName: nameOf(e.witnessId), recordedByName: nameOf(e.recordedById),
        })),
        nextCursor: null,
      });
    },
  }),
];
