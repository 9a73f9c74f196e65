import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { loadSampleView, viewClock } from '../samples/view.ts';
import { ATTENTION_ACTIONS } from '../domain/closed-sets.ts';
import { resolveAttention } from './attention.usecases.ts';

export const attentionRoutes = [
  defineRoute({
    method: 'post', path: '/samples/:id/attention', tag: 'Attention', roles: ['MANAGER'], params: ZIdParam,
    summary: 'Take a sample out of NEEDS_ATTENTION: RETRY the failed step, or RETURN it to the status it had',
    body: z.strictObject({ action: z.enum(ATTENTION_ACTIONS), reason: z.string().trim().min(1).max(1000) }),
    handler: ({ params, body, user, write, deps }) =>
      write(async (tx) => {
        await resolveAttention(tx, params.id, body, user, deps.clock.now());
        return ok(await loadSampleView(tx, { id: params.id }, viewClock(deps)));
      }),
  }),
];
