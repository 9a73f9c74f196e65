import { z } from 'zod';
import { defineRoute, ok } from '../http/route.ts';
import { ZIdParam } from '../http/params.ts';
import { loadSampleView, viewClock } from '../samples/view.ts';
import { recordFailure } from '../auth/login.usecases.ts';
import { AppError } from '../lib/errors.ts';
import { reviewSample, submitForReview } from './review.usecases.ts';

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
      // A signature is a password check: a locked account cannot sign, and wrong passwords count towards the lock.
      const me = await deps.db.user.findUnique({ where: { id: user.id }, select: { lockedUntil: true } });
      if (me?.lockedUntil && me.lockedUntil > now) throw new AppError('UNAUTHENTICATED', 'Electronic signature refused: the account is locked after repeated wrong passwords');
      try {
        await reviewSample(deps.db, params.id, body, user, now);
      } catch (err) {
        if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
          log.warn({ userId: user.id, sampleId: params.id, reason: 'signature' }, 'electronic signature failed');
          const left = await recordFailure(deps, user.id, now, log);
          const minutes = deps.config.LOGIN_LOCK_MINUTES;
          throw new AppError('UNAUTHENTICATED', `${err.message}. ${left ? `${left} ${left === 1 ? 'attempt' : 'attempts'} left before your account locks for ${minutes} minutes` : `Your account is now locked for ${minutes} minutes`}.`, { attemptsLeft: left });
        }
        throw err;
      }
      return ok(await loadSampleView(deps.db, { id: params.id }, viewClock(deps)));
    },
  }),
];
