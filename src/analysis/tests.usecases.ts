import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { EngineContext } from '../domain/identification.rules.ts';
import { ANALYSABLE } from '../domain/sample-lifecycle.rules.ts';
import { matchSubstance } from '../domain/substances.rules.ts';
import { testView } from '../samples/view.ts';
import { lockSample, moveSample } from '../samples/transitions.ts';
import type { Tx } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { enqueue } from '../queue/outbox.ts';
import { computedHits } from '../spectral-libraries/search.usecases.ts';
import type { TRecordTest } from './tests.schemas.ts';

function resolveNames(input: TRecordTest, engine: EngineContext) {
  const unknown: { path: string; message: string }[] = [];
  const named = input.substance ? matchSubstance(engine.index, input.substance) : null;
  if (input.substance && !named) unknown.push({ path: 'body.substance', message: `"${input.substance}" is not in the substance catalogue` });
  input.hits?.forEach((h, i) => {
    if (!matchSubstance(engine.index, h.substance)) unknown.push({ path: `body.hits.${i}.substance`, message: `"${h.substance}" is not in the substance catalogue` });
  });
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 'Unknown substance name', unknown);
  return named;
}

/**
 * Records one test result (ISO/IEC 17025 7.5: who, when, which instrument, at the time it is made),
 * moves the sample into analysis and asks for a re-classification — one transaction.
 */
export async function recordTest(tx: Tx, sampleId: string, input: TRecordTest, user: AuthUser, engine: EngineContext, now: Date) {
  const named = resolveNames(input, engine);
  const sample = await lockSample(tx, sampleId);
  if (!sample) throw notFound('Sample');
  if (!ANALYSABLE.includes(sample.status)) {
    throw new AppError('CONFLICT', `Tests cannot be added to a sample in ${sample.status}`, { status: sample.status });
  }
  const performedAt = input.performedAt ? new Date(input.performedAt) : now;
  if (performedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('VALIDATION_FAILED', 'performedAt is in the future', [{ path: 'body.performedAt', message: 'must not be in the future' }]);
  }
  if (input.correctsTestId) {
    const old = await tx.test.findUnique({ where: { id: input.correctsTestId }, select: { sampleId: true } });
    if (!old || old.sampleId !== sampleId) {
      throw new AppError('VALIDATION_FAILED', 'No such test on this sample', [{ path: 'body.correctsTestId', message: 'must be a test of this sample' }]);
    }
    if (await tx.test.findUnique({ where: { correctsTestId: input.correctsTestId }, select: { id: true } })) {
      throw new AppError('CONFLICT', 'That test was already corrected: correct the correction instead');
    }
  }
  const technique = engine.ref.techniques.techniques.find((t) => t.code === input.technique)!;
  const computed = input.fileId ? await computedHits(tx, engine, sampleId, input.fileId, now) : null;
  const test = await tx.test.create({
    data: {
      sampleId,
      technique: input.technique,
      category: technique.category,
      outcome: input.outcome,
      substanceId: named?.id ?? null,
      substanceText: named?.name ?? null,
      hits: computed?.hits ?? input.hits ?? undefined,
      hitsOrigin: computed?.hitsOrigin ?? (input.hits ? 'ENTERED' : null),
      fileId: computed?.fileId ?? null,
      spectralLibraryId: computed?.spectralLibraryId ?? null,
      spectralSearch: computed?.spectralSearch ?? undefined,
      samplingId: input.samplingId,
      reagent: input.reagent ?? null,
      observedColor: input.observedColor ?? null,
      dataRef: input.dataRef ?? computed?.dataRef ?? null,
      instrument: input.instrument ?? null,
      performedAt,
      recordedById: user.id,
      recordedAt: now,
      correctsTestId: input.correctsTestId ?? null,
      correctionReason: input.correctionReason ?? null,
      purityPct: input.purityPct ?? null,
    },
  });
  await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: input.correctsTestId ? 'test.correct' : 'test.record', entityType: 'Test', entityId: test.id, after: test }, now);
  if (sample.status !== 'IN_ANALYSIS') await moveSample(tx, sample, 'IN_ANALYSIS', { id: user.id, role: user.role }, now);
  else await tx.sample.update({ where: { id: sampleId }, data: { updatedAt: now } });
  await enqueue(tx, 'classify', { sampleId });
  return testView(test);
}
