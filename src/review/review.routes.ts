import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { loadSampleView, viewClock } from '../samples/view.ts';
import { reviewSample, submitForReview } from './review.usecases.ts';
import { signWithPassword } from './signature.ts';

const ZReview = z
  .strictObject({
    decision: z.enum(['APPROVE', 'REJECT']),
    comment: z.string().trim().min(1).max(2000).optional(),
    password: z.string().min(1).max(200),
  })
  .refine((r) => r.decision === 'APPROVE' || r.comment, { path: ['comment'], message: 'a rejection must say why' });

export const reviewRoutes = [
  defineRoute({
    method: 'post', path: '/samples/:id/submit', tag: 'Review', summary: 'Submit a sample for review', roles: ['TECHNICIAN'], params: ZIdParam,
    handler: async ({ params, user, deps }) => {
      await submitForReview(deps.db, params.id, user, deps.clock.now());
      return ok(await loadSampleView(deps.db, { id: params.id }, viewClock(deps)));
    },
  }),
  defineRoute({
    method: 'post', path: '/samples/:id/review', tag: 'Review', summary: 'Review a sample (electronic signature)', roles: ['TECHNICIAN', 'MANAGER'],
    params: ZIdParam, body: ZReview,
    handler: async ({ params, body, user, deps, log }) => {
      const now = deps.clock.now();
      await reviewSample(deps.db, params.id, body, user, now, (password) => signWithPassword(deps, user, password, now, log));
      return ok(await loadSampleView(deps.db, { id: params.id }, viewClock(deps)));
    },
  }),
];
