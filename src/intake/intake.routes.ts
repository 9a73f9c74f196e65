import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { notFound } from '../lib/errors.ts';
import { ZIdParam } from '../http/params.ts';
import { ZCreateSample, ZCreateSeizure, ZSampleListQuery } from './intake.schemas.ts';
import { createSample, createSeizure, getSample, listSamples, seizureView } from './intake.usecases.ts';
import { seizureIntel } from '../intelligence/observables.usecases.ts';
import { slaPolicy } from '../lib/config.ts';
import { viewClock } from '../samples/view.ts';

export const intakeRoutes = [
  defineRoute({
    method: 'post', path: '/seizures', tag: 'Intake', summary: 'Open a seizure', roles: ['TECHNICIAN'], body: ZCreateSeizure, idempotent: true,
    handler: ({ body, user, write, deps }) => write(async (tx) => ok(await createSeizure(tx, body, user, deps.clock.now()), 201)),
  }),
  defineRoute({
    method: 'get', path: '/seizures/:id', tag: 'Intake', summary: 'Read a seizure', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'], params: ZIdParam,
    handler: async ({ params, deps }) => {
      const s = await deps.db.seizure.findUnique({ where: { id: params.id } });
      if (!s) throw notFound('Seizure');
      return ok({ ...seizureView(s), ...(await seizureIntel(deps.db, s.id)) });
    },
  }),
  defineRoute({
    method: 'post', path: '/samples', tag: 'Intake', summary: 'Register a sample', roles: ['TECHNICIAN'], body: ZCreateSample, idempotent: true,
    handler: ({ body, user, write, deps }) => write(async (tx) => ok(await createSample(tx, body, user, deps.clock.now(), slaPolicy(deps.config)), 201)),
  }),
  defineRoute({
    method: 'get', path: '/samples', tag: 'Intake', summary: 'List samples (worklist order)', roles: 'any', query: ZSampleListQuery,
    handler: async ({ query, user, deps }) => ok(await listSamples(deps.db, user, query, viewClock(deps))),
  }),
  defineRoute({
    method: 'get', path: '/samples/by-barcode/:barcode', tag: 'Intake', summary: 'Find a sample by barcode', roles: 'any',
    params: z.strictObject({ barcode: z.string().regex(/^[A-Z0-9]{4,40}$/) }),
    handler: async ({ params, user, deps }) => ok(await getSample(deps.db, user, { barcode: params.barcode }, viewClock(deps))),
  }),
  defineRoute({
    method: 'get', path: '/samples/:id', tag: 'Intake', summary: 'Read a sample', roles: 'any', params: ZIdParam,
    handler: async ({ params, user, deps }) => ok(await getSample(deps.db, user, { id: params.id }, viewClock(deps))),
  }),
];
