import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import type { Tx } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';
import { visibleSeizure } from './access.ts';
import { ZExhibitInput, ZLinkDecision, ZObservableInput } from './intel.schemas.ts';
import { caseNetwork } from './network.usecases.ts';
import { addExhibit, addObservables, seizureIntel } from './observables.usecases.ts';
import { decideLink, listRelated } from './related.usecases.ts';
import { requestRelate } from './relate.request.ts';
import { intelligenceData } from './weights.ts';

const lockSeizure = async (tx: Tx, id: string) => {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Seizure" WHERE id = ${id}::uuid FOR UPDATE`;
  if (!row) throw notFound('Seizure');
};

export const intelRoutes = [
  defineRoute({
    method: 'post', path: '/seizures/:id/observables', tag: 'Intelligence', roles: ['TECHNICIAN'], params: ZIdParam, body: ZObservableInput,
    summary: 'Add an observable (stored raw and normalised; the same value twice is one observable); rescoring follows',
    handler: ({ params, body, user, write, deps }) =>
      write(async (tx) => {
        const now = deps.clock.now();
        await lockSeizure(tx, params.id);
        const [o] = await addObservables(tx, params.id, [body], user, now, () => 'body.value');
        if (o!.created) await requestRelate(tx, params.id, now);
        return ok(o, o!.created ? 201 : 200);
      }),
  }),
  defineRoute({
    method: 'get', path: '/seizures/:id/observables', tag: 'Intelligence', roles: ['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'], params: ZIdParam,
    summary: 'Exhibits, observables and operations of a seizure',
    handler: async ({ params, user, deps }) => {
      await visibleSeizure(deps.db, user, params.id);
      return ok(await seizureIntel(deps.db, params.id));
    },
  }),
  defineRoute({
    method: 'post', path: '/seizures/:id/exhibits', tag: 'Intelligence', roles: ['TECHNICIAN'], params: ZIdParam, body: ZExhibitInput,
    summary: 'Add an exhibit to a seizure (exhibit numbers are unique within the seizure)',
    handler: ({ params, body, user, write, deps }) =>
      write(async (tx) => {
        await lockSeizure(tx, params.id);
        return ok(await addExhibit(tx, params.id, body, user, deps.clock.now()), 201);
      }),
  }),
  defineRoute({
    method: 'get', path: '/seizures/:id/related', tag: 'Intelligence', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'], params: ZIdParam,
    summary: 'Related seizures with score and reasons; seizures outside an investigator\'s cases show only case number, investigator and port',
    handler: async ({ params, user, deps }) => ok(await listRelated(deps.db, user, params.id, intelligenceData().weights)),
  }),
  defineRoute({
    method: 'post', path: '/seizures/:id/links', tag: 'Intelligence', roles: ['INVESTIGATOR', 'MANAGER'], params: ZIdParam, body: ZLinkDecision,
    summary: 'Confirm or dismiss a related seizure (audited); a dismissed pair returns only on new evidence',
    handler: ({ params, body, user, write, deps }) => write(async (tx) => ok(await decideLink(tx, user, params.id, body, deps.clock.now()))),
  }),
  defineRoute({
    method: 'get', path: '/cases/:id/network', tag: 'Intelligence', roles: ['INVESTIGATOR', 'MANAGER', 'ADMIN'], params: ZIdParam,
    summary: 'Link chart of a case: its seizures, related seizures (two hops), shared observables and chemical profiles',
    query: z.object({}),
    handler: async ({ params, user, deps }) => ok(await caseNetwork(deps.db, user, params.id, intelligenceData().weights)),
  }),
];
