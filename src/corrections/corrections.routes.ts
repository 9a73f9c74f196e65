import { ZIdParam } from '../http/params.ts';
import { defineRoute, ok } from '../http/route.ts';
import { slaPolicy } from '../lib/config.ts';
import { loadSampleView, viewClock } from '../samples/view.ts';
import { ZSampleCorrection, ZSeizureCorrection } from './corrections.schemas.ts';
import { correctSample, correctSeizure } from './corrections.usecases.ts';

export const correctionRoutes = [
  defineRoute({
    method: 'post', path: '/samples/:id/corrections', tag: 'Corrections', roles: ['TECHNICIAN'], params: ZIdParam, body: ZSampleCorrection,
    summary: 'Correct a registered sample (weights, count, description, priority, its seizure\'s custody flags), with a reason',
    handler: async ({ params, body, user, write, deps }) => {
      const ctx = { user, now: deps.clock.now(), sla: slaPolicy(deps.config) };
      const reply = await write(async (tx) => ok(await correctSample(tx, params.id, body, ctx), 201));
      return { ...reply, body: { ...(reply.body as object), sample: await loadSampleView(deps.db, { id: params.id }, viewClock(deps)) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/seizures/:id/corrections', tag: 'Corrections', roles: ['TECHNICIAN'], params: ZIdParam, body: ZSeizureCorrection,
    summary: 'Correct a seizure\'s fields, with a reason; its samples follow (port, automatic priority)',
    handler: async ({ params, body, user, write, deps }) => {
      const ctx = { user, now: deps.clock.now(), sla: slaPolicy(deps.config) };
      return write(async (tx) => ok(await correctSeizure(tx, params.id, body, ctx), 201));
    },
  }),
];
