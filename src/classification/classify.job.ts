import { appendAudit } from '../audit/audit.ts';
import { classify, type TTestRecord } from '../domain/identification.rules.ts';
import type { TTechniqueCode } from '../domain/reference-data.ts';
import { announceSampleChange, lockSample } from '../intake/sample-transitions.ts';
import { requestNotifications } from '../notifications/plan.ts';
import type { JobHandler } from '../queue/job-context.ts';
import { refreshChemicalProfile } from '../intelligence/profile.usecases.ts';

const ALERT_CATEGORIES = ['FENTANYL', 'FENTANYL_RELATED_SUBSTANCE', 'FENTANYL_PRECURSOR'];

/**
 * Classifies a sample from all its tests and stores the result as a new version. Idempotent: when the
 * latest version already covers every recorded test, it does nothing. The first fentanyl-class
 * PRESUMPTIVE or IDENTIFIED result alerts the port's duty investigator at once, before any review.
 */
export const classifyJob: JobHandler<'classify'> = async ({ sampleId }, ctx) => {
  await ctx.db.$transaction(async (tx) => {
    const locked = await lockSample(tx, sampleId);
    if (!locked) return;
    const sample = (await tx.sample.findUnique({ where: { id: sampleId }, include: { seizure: { select: { seizureNumber: true } } } }))!;
    const tests = await tx.test.findMany({ where: { sampleId }, orderBy: { recordedAt: 'asc' } });
    const latest = await tx.classification.findFirst({ where: { sampleId }, orderBy: { version: 'desc' } });
    if (!tests.length || latest?.testCount === tests.length) return;

    // A corrected test stays on record but no longer counts: its correction counts instead.
    const corrected = new Set(tests.map((t) => t.correctsTestId).filter(Boolean));
    const records: TTestRecord[] = tests.filter((t) => !corrected.has(t.id)).map((t) => ({
      technique: t.technique as TTechniqueCode,
      outcome: t.outcome,
      substanceId: t.substanceId,
      hits: t.hits as TTestRecord['hits'],
      isomerCandidates: (t.spectralSearch as { isomerCandidates?: string[] } | null)?.isomerCandidates ?? null,
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
    if (ALERT_CATEGORIES.includes(result.category) && result.level !== 'NONE' && !alerted) {
      await requestNotifications(tx, { type: 'PRESUMPTIVE_ALERT', sampleId });
    }
  });
};
