import type { CoreDeps } from '../entry/deps.ts';
import { isFentanylClass } from '../domain/categories.rules.ts';
import { RESULT_STATUSES, type TSampleStatus } from '../domain/sample-lifecycle.rules.ts';
import { samplingPlan } from '../domain/sampling.rules.ts';
import { conflict } from '../lib/errors.ts';
import { labelFacts, reportFacts } from './documents.repository.ts';
import type { TLabel } from './label.ts';
import { conclusionOf, libraryMatchLine, type TReportData } from './report.ts';

export async function labelOf(db: CoreDeps['db'], sampleId: string): Promise<TLabel> {
  const { sample: s, port, stripPositive } = await labelFacts(db, sampleId);
  return {
    barcode: s.barcode, seizureNumber: s.seizure.seizureNumber, itemNumber: s.itemNumber, portCode: s.portCode, portName: port?.name ?? '',
    registeredAt: s.registeredAt, form: s.form, hazard: isFentanylClass(s.category) || stripPositive, priority: s.priority,
  };
}

/** The lab report's content for a released sample (409 before release, or when the release is not on record). */
export async function reportOf({ db, engine, config, clock }: CoreDeps, sampleId: string, status: string): Promise<TReportData> {
  if (!RESULT_STATUSES.includes(status as TSampleStatus)) throw conflict('The report exists once the result is released');
  const { sample: s, review, classification: c, port, kase, people } = await reportFacts(db, sampleId);
  if (!review || !c) throw conflict('No approved review of a classification is on record for this sample');
  const name = (id: string) => people.get(id) ?? id;
  const corrected = new Set(s.tests.map((t) => t.correctsTestId).filter(Boolean));
  const techniques = new Map(engine.ref.techniques.techniques.map((t) => [t.code, t.name]));
  const samplings = [...new Set(s.tests.map((t) => t.samplingId))];
  const plan = s.unitCount && s.unitCount > 1 ? samplingPlan({ population: s.unitCount, confidence: 0.95, proportion: 0.9, allowedNegatives: 0 }) : null;
  return {
    reportId: `${s.barcode}-R${c.version}`,
    labName: config.LAB_NAME,
    site: `Forward Operating Lab, port of entry ${s.portCode} ${port?.name ?? ''}${port?.state ? `, ${port.state}` : ''}`,
    agency: `U.S. Customs and Border Protection, port ${s.portCode}`,
    receivedAt: s.registeredAt,
    reportedAt: clock.now(),
    seizureNumber: s.seizure.seizureNumber,
    caseNumber: kase?.caseNumber ?? null,
    item: { itemNumber: s.itemNumber, barcode: s.barcode, description: s.description, form: s.form, grossWeightG: s.grossWeightG, netWeightG: s.netWeightG, netWeightUncertaintyG: s.netWeightUncertaintyG, sealNumber: s.sealNumber, unitCount: s.unitCount },
    tests: s.tests.map((t) => ({
      technique: t.technique, techniqueName: techniques.get(t.technique as never) ?? t.technique, category: t.category, outcome: t.outcome, substance: t.substanceText,
      instrument: t.instrument, performedAt: t.performedAt, analyst: name(t.recordedById), samplingId: t.samplingId, corrected: corrected.has(t.id),
      libraryMatch: libraryMatchLine(t),
    })),
    files: s.files.map((f) => ({ filename: f.filename, kind: f.kind, mediaType: f.blob.mediaType, size: f.blob.size, sha256: f.sha256, uploadedAt: f.uploadedAt, uploadedBy: name(f.uploadedById) })),
    samplingStatement:
      `${samplings.length} sampling${samplings.length === 1 ? '' : 's'} analysed (${samplings.join(', ')}).` +
      // The plan is what the population calls for; how many units were actually tested is the analyst's record.
      (plan ? ` Population of ${s.unitCount} units: the hypergeometric plan (SWGDRUG SD-5) for 95 % confidence that at least 90 % of the units contain the substance calls for ${plan.n} units tested, all positive.` : ' The item was analysed as a single unit or a homogeneous population.'),
    classification: { category: c.category, level: c.level, version: c.version, rationale: c.rationale, warnings: c.warnings, components: c.components },
    thresholds: c.thresholds,
    conclusion: conclusionOf(s.itemNumber, { category: c.category, components: c.components }),
    analysts: [...new Set(s.tests.map((t) => name(t.recordedById)))],
    authorizer: { name: name(review.reviewerId), at: review.reviewedAt, meaning: review.signatureMeaning },
  };
}
