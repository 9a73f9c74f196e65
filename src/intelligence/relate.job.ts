import type { JobHandler } from '../entry/deps.ts';
import { relateSeizure } from './relate.usecases.ts';
import { intelligenceData } from './weights.ts';

/**
 * Rescores a seizure's related seizures. Idempotent (upserts on the pair; deconfliction flagged per
 * pair), so a repeat after a crash changes nothing but the computation time.
 */
export const relateJob: JobHandler<'relate'> = async ({ seizureId }, ctx) => {
  const { examined, kept } = await relateSeizure(ctx.db, seizureId, intelligenceData().weights, ctx.clock.now(), ctx.log);
  ctx.log.debug({ seizureId, examined, kept }, 'related seizures scored');
};
