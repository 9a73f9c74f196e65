import { notFound } from '../lib/errors.ts';
import type { JobHandler } from '../entry/deps.ts';
import { lockSample, moveSample } from '../samples/transitions.ts';

/** REGISTERED → QUEUED: the sample joins the bench worklist. Anything further along is left alone. */
export const triageJob: JobHandler<'triage'> = async ({ sampleId }, ctx) => {
  await ctx.db.$transaction(async (tx) => {
    const sample = await lockSample(tx, sampleId);
    if (!sample) throw notFound('Sample');
    if (sample.status !== 'REGISTERED') return;
    await moveSample(tx, sample, 'QUEUED', null, ctx.clock.now());
  });
};
