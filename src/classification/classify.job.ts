import { appendAudit } from '../audit/audit.ts';
import { classify, type TTestRecord } from '../domain/identification.rules.ts';
import { isFentanylClass } from '../domain/categories.rules.ts';
import { ZHits, ZSpectralSearch } from './classification.schemas.ts';
import type { TTechniqueCode } from '../domain/closed-sets.ts';
import { announceSampleChange, lockSample } from '../samples/transitions.ts';
import { notFound } from '../lib/errors.ts';
import { requestNotifications } from '../notifications/plan.ts';
import type { JobHandler } from '../entry/deps.ts';
import { refreshChemicalProfile } from '../intelligence/profile.usecases.ts';

/**
 * Classifies a sample from all its tests and stores the result as a new version. Idempotent: when the
 * latest version already covers every recorded test, it does nothing. The first fentanyl-class
 * PRESUMPTIVE or IDENTIFIED result alerts the port's duty investigator at once, before any review.
 */
export const classifyJob: JobHandler<'classify'> = async ({ sampleId }, ctx) => {
  await ctx.db.$transaction(async (tx) => {
    // Ids come from committed rows: a missing one is a broken record, and retrying cannot mend it.
    const locked = await lockSample(tx, sampleId);
    if (!locked) throw notFound('Sample');
    const sample = await tx.sample.findUniqueOrThrow({ where: { id: sampleId } });
    const tests = await tx.test.findMany({ where: { sampleId }, orderBy: { recordedAt: 'asc' } });
    const latest = await tx.classification.findFirst({ where: { sampleId }, orderBy: { version: 'desc' } });
    if (!tests.length || latest?.testCount === tests.length) return;

    // A corrected test stays on record but no longer counts: its correction counts instead.
    const corrected = new Set(tests.map((t) => t.correctsTestId).filter(Boolean));
    const records: TTestRecord[] = tests.filter((t) => !corrected.has(t.id)).map((t) => ({
      technique: t.technique as TTechniqueCode,
      outcome: t.outcome,
      substanceId: t.substanceId,
      hits: ZHits.parse(t.hits),
      isomerCandidates: ZSpectralSearch.parse(t.spectralSearch)?.isomerCandidates ?? null,
      samplingId: t.samplingId,
      dataRef: t.dataRef,
    }));
    const result = classify(records, sample, { ...ctx.engine, matchThreshold: ctx.config.MATCH_THRESHOLD });
    const now = ctx.clock.now();
    const version = (latest?.version ?? 0) + 1;
    const stored = await tx.classification.create({
      data: {
        sampleId,
        version,
        testCount: tests.length,
        category: result.category,
        level: result.level,
        components: result.components,
        thresholds: result.thresholds,
        warnings: result.warnings,
        rationale: result.rationale,
        rulesVersion: result.rulesVersion,
        classifiedAt: now,
      },
    });
    await tx.sample.update({ where: { id: sampleId }, data: { updatedAt: now, category: result.category, level: result.level } });
    await announceSampleChange(tx, sampleId, locked.status);
    await appendAudit(tx, { actor: null, action: 'classification.create', entityType: 'Classification', entityId: stored.id, after: stored }, now);
    await refreshChemicalProfile(tx, sample, stored, now);

    // The first alert-worthy result asks for the alert at once, before any review; planning sends one per sample.
    const alerted = await tx.notification.count({ where: { sampleId, type: 'PRESUMPTIVE_ALERT' } });
    if (isFentanylClass(result.category) && result.level !== 'NONE' && !alerted) {
      await requestNotifications(tx, { type: 'PRESUMPTIVE_ALERT', sampleId });
    }
  });
};
