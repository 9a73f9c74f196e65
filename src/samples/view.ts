import { sampleSla } from '../domain/priority.rules.ts';
import type { Clock } from '../lib/clock.ts';
import type { TConfig } from '../lib/config.ts';
import type { Db, Tx } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';
import { errorSummary, openDeadLetters } from './dead-letters.repository.ts';

/** The moment a view is read at, and the SLA share that makes a sample at risk. */
export type TViewClock = { now: Date; atRiskFraction: number };

export const viewClock = (deps: { clock: Clock; config: TConfig }): TViewClock => ({ now: deps.clock.now(), atRiskFraction: deps.config.SLA_AT_RISK_FRACTION });

/** The sample as the contract shows it: tests, latest classification, latest review, timeline. */
export async function loadSampleView(db: Db | Tx, where: { id: string } | { barcode: string }, at: TViewClock) {
  const s = await db.sample.findUnique({
    where,
    include: {
      tests: { orderBy: { recordedAt: 'asc' } },
      classifications: { orderBy: { version: 'desc' }, take: 1 },
      events: { orderBy: { id: 'asc' } },
      seizure: { select: { seizureNumber: true, caseId: true } },
    },
  });
  if (!s) throw notFound('Sample');
  const review = await db.review.findFirst({ where: { sampleId: s.id }, orderBy: { reviewedAt: 'desc' } });
  const failures = s.status === 'NEEDS_ATTENTION' ? await openDeadLetters(db, s.id) : [];
  const c = s.classifications[0];
  return {
    id: s.id,
    barcode: s.barcode,
    seizureId: s.seizureId,
    seizureNumber: s.seizure.seizureNumber,
    itemNumber: s.itemNumber,
    portCode: s.portCode,
    form: s.form,
    description: s.description,
    grossWeightG: s.grossWeightG,
    netWeightG: s.netWeightG,
    netWeightUncertaintyG: s.netWeightUncertaintyG,
    unitCount: s.unitCount,
    markings: s.markings,
    color: s.color,
    sealNumber: s.sealNumber,
    exhibitId: s.exhibitId,
    priority: s.priority,
    status: s.status,
    registeredAt: s.registeredAt,
    dueAt: s.dueAt,
    overdue: sampleSla(s, at.now, at.atRiskFraction) === 'BREACHED',
    sla: sampleSla(s, at.now, at.atRiskFraction),
    tests: s.tests.map(testView),
    classification: c
      ? {
          category: c.category,
          level: c.level,
          components: c.components,
          thresholds: c.thresholds,
          warnings: c.warnings,
          rationale: c.rationale,
          testCount: c.testCount,
          version: c.version,
          rulesVersion: c.rulesVersion,
          classifiedAt: c.classifiedAt,
        }
      : null,
    review: review
      ? {
          decision: review.decision,
          reviewerId: review.reviewerId,
          reviewedAt: review.reviewedAt,
          comment: review.comment,
          classificationVersion: review.classificationVersion,
          signatureMeaning: review.signatureMeaning,
        }
      : null,
    caseId: s.caseId ?? s.seizure.caseId ?? null,
    // What a manager needs to choose between RETRY and RETURN (POST /samples/:id/attention).
    attention:
      s.status === 'NEEDS_ATTENTION'
        ? {
            statusBefore: s.statusBeforeAttention,
            failures: failures.map((d) => ({ id: d.id, step: d.jobName, attempts: d.attempts, failedAt: d.failedAt, error: errorSummary(d.error) })),
          }
        : null,
    timeline: s.events.map((e) => ({ status: e.status, at: e.at, by: e.byId, ...(e.note ? { note: e.note } : {}) })),
  };
}

export function testView(t: {
  id: string; technique: string; category: string; outcome: string; substanceId: string | null; substanceText: string | null;
  hits: unknown; samplingId: string; reagent: string | null; observedColor: string | null; dataRef: string | null;
  instrument: string | null; performedAt: Date; recordedById: string; recordedAt: Date;
  correctsTestId?: string | null; correctionReason?: string | null; purityPct?: number | null;
  fileId?: string | null; hitsOrigin?: string | null; spectralSearch?: unknown;
}) {
  return {
    id: t.id,
    technique: t.technique,
    category: t.category,
    outcome: t.outcome,
    substance: t.substanceText,
    substanceId: t.substanceId,
    hits: t.hits,
    // ENTERED: typed off the instrument's screen; COMPUTED: searched here from the attached spectrum.
    hitsOrigin: t.hitsOrigin ?? (t.hits ? 'ENTERED' : null),
    fileId: t.fileId ?? null,
    spectralSearch: t.spectralSearch ?? null,
    samplingId: t.samplingId,
    reagent: t.reagent,
    observedColor: t.observedColor,
    dataRef: t.dataRef,
    instrument: t.instrument,
    performedAt: t.performedAt,
    recordedBy: t.recordedById,
    recordedAt: t.recordedAt,
    correctsTestId: t.correctsTestId ?? null,
    correctionReason: t.correctionReason ?? null,
    purityPct: t.purityPct ?? null,
  };
}
