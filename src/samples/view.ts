import { sampleSla } from '../domain/priority.rules.ts';
import type { Clock } from '../lib/clock.ts';
import type { TConfig } from '../lib/config.ts';
import type { Db, Prisma, Tx } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';
import { errorSummary, openDeadLetters } from './dead-letters.repository.ts';
import { listCorrections, type TCorrection } from '../corrections/corrections.repository.ts';
import { fieldName } from '../domain/field-names.ts';
import { labelHazard } from '../domain/label.rules.ts';

const shown = (v: unknown) => (v === null || v === undefined ? 'none' : v === true ? 'yes' : v === false ? 'no' : String(v));

/** A correction in the timeline's words: "Corrected gross weight (g) 12 → 10. Reason: …". */
export const correctionNote = (c: Pick<TCorrection, 'changes' | 'reason'>) =>
  `Corrected ${c.changes.map((x) => `${fieldName(x.field)} ${shown(x.before)} → ${shown(x.after)}`).join('; ')}. Reason: ${c.reason}`;

/** The moment a view is read at, and the SLA share that makes a sample at risk. */
export type TViewClock = { now: Date; atRiskFraction: number };

export const viewClock = (deps: { clock: Clock; config: TConfig }): TViewClock => ({ now: deps.clock.now(), atRiskFraction: deps.config.SLA_AT_RISK_FRACTION });

/** The sample as the contract shows it: tests, latest classification, latest review, timeline. */
export async function loadSampleView(db: Db | Tx, where: { id: string } | { barcode: string }, at: TViewClock) {
  const s = await db.sample.findUnique({ where, include: VIEW_INCLUDE });
  if (!s) throw notFound('Sample');
  const review = await db.review.findFirst({ where: { sampleId: s.id }, orderBy: { reviewedAt: 'desc' } });
  const failures = s.status === 'NEEDS_ATTENTION' ? await openDeadLetters(db, s.id) : [];
  const corrections = await listCorrections(db, 'Sample', s.id);
  return sampleView(s, { review, failures, corrections }, at);
}

const VIEW_INCLUDE = {
  tests: { orderBy: { recordedAt: 'asc' } },
  classifications: { orderBy: { version: 'desc' }, take: 1 },
  events: { orderBy: { id: 'asc' } },
  seizure: { select: { seizureNumber: true, caseId: true } },
} satisfies Prisma.SampleInclude;

/** What loadSampleView reads: the sample with its tests, latest classification, timeline and seizure. */
export type TViewedSample = Prisma.SampleGetPayload<{ include: typeof VIEW_INCLUDE }>;

type TViewExtras = {
  review: Awaited<ReturnType<Db['review']['findFirst']>>;
  failures: Awaited<ReturnType<typeof openDeadLetters>>;
  corrections: TCorrection[];
};

/**
 * The view of a sample from its rows. A writer that has every row in hand (registration: no tests,
 * no classification, no review, one timeline event) builds it without reading them back.
 */
export function sampleView(s: TViewedSample, { review, failures, corrections }: TViewExtras, at: TViewClock) {
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
    /** Whether the label carries the fentanyl hazard mark: a change means the label must be reprinted. */
    labelHazard: labelHazard(s.category, s.tests),
    /** Reason-logged corrections of the sample's fields, oldest first: each keeps the values before and after. */
    corrections,
    // The statuses reached and, in time order among them, the corrections (kind CORRECTION, with the status they were made in).
    timeline: [
      ...s.events.map((e) => ({ kind: 'STATUS' as const, status: e.status as string, at: e.at, by: e.byId as string | null, ...(e.note ? { note: e.note } : {}) })),
      ...corrections.map((c) => ({ kind: 'CORRECTION' as const, status: c.statusAt ?? s.status, at: c.correctedAt, by: c.correctedBy as string | null, note: correctionNote(c), correctionId: c.id })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime()),
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
