import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import { lockSample, moveSample } from '../samples/transitions.ts';
import type { Db } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { enqueue } from '../queue/outbox.ts';

/** IN_ANALYSIS → AWAITING_REVIEW, only once the classification covers every recorded test. */
export async function submitForReview(db: Db, sampleId: string, user: AuthUser, now: Date) {
  await db.$transaction(async (tx) => {
    const sample = await lockSample(tx, sampleId);
    if (!sample) throw notFound('Sample');
    // One query at a time: a transaction is one connection.
    const tests = await tx.test.count({ where: { sampleId } });
    const latest = await tx.classification.findFirst({ where: { sampleId }, orderBy: { version: 'desc' } });
    if (!latest) throw new AppError('CONFLICT', 'The sample has no classification yet: record a test and wait for it');
    if (latest.testCount !== tests) throw new AppError('CONFLICT', 'The classification is still being updated for the latest test; retry in a moment');
    await moveSample(tx, sample, 'AWAITING_REVIEW', { id: user.id, role: user.role }, now, { note: `classification v${latest.version} submitted` });
  });
}

export type TReviewInput = { decision: 'APPROVE' | 'REJECT'; comment?: string; password: string };

/**
 * Technical review (ISO/IEC 17025 7.8.1.1): by someone other than any analyst of the sample, signed
 * by re-entering the reviewer's password (21 CFR 11.200; `sign` checks it and throws when it is
 * refused), bound to the classification version seen.
 */
export async function reviewSample(db: Db, sampleId: string, input: TReviewInput, user: AuthUser, now: Date, sign: (password: string) => Promise<void>) {
  const sampleRow = await db.sample.findUnique({ where: { id: sampleId }, select: { id: true } });
  if (!sampleRow) throw notFound('Sample');
  const analyst = await db.test.count({ where: { sampleId, recordedById: user.id } });
  if (analyst) throw new AppError('FORBIDDEN', 'You recorded a test on this sample: a different person must review it');
  await sign(input.password);
  return db.$transaction(async (tx) => {
    const sample = await lockSample(tx, sampleId);
    if (!sample) throw notFound('Sample');
    if (sample.status !== 'AWAITING_REVIEW') throw new AppError('CONFLICT', `Only a sample awaiting review can be reviewed (this one is ${sample.status})`);
    // Re-checked under the lock: a test recorded by this user since the first check also disqualifies.
    if (await tx.test.count({ where: { sampleId, recordedById: user.id } })) throw new AppError('FORBIDDEN', 'You recorded a test on this sample');
    const latest = (await tx.classification.findFirst({ where: { sampleId }, orderBy: { version: 'desc' } }))!;
    const approved = input.decision === 'APPROVE';
    const review = await tx.review.create({
      data: {
        sampleId,
        reviewerId: user.id,
        decision: input.decision,
        comment: input.comment ?? null,
        classificationVersion: latest.version,
        signatureMeaning: approved ? 'technical review — approved' : 'technical review — rejected',
        reviewedAt: now,
      },
    });
    await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: `review.${input.decision.toLowerCase()}`, entityType: 'Review', entityId: review.id, after: review }, now);
    await moveSample(tx, sample, approved ? 'RELEASED' : 'IN_ANALYSIS', { id: user.id, role: user.role }, now, {
      note: `${review.signatureMeaning} (classification v${latest.version})${input.comment ? `: ${input.comment}` : ''}`,
    });
    if (approved) await enqueue(tx, 'route', { sampleId });
    return review;
  });
}
