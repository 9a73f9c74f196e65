import type { Response } from 'express';
import { samplingPlan } from '../domain/sampling.rules.ts';
import { defineRoute } from '../http/route.ts';
import { findVisibleSample } from '../intake/access.ts';
import { ZIdParam } from '../intake/intake.schemas.ts';
import { conflict } from '../lib/errors.ts';
import { labelPdf } from './label.ts';
import { conclusionOf, libraryMatchLine, reportPdf } from './report.ts';

const FENTANYL_CLASS = ['FENTANYL', 'FENTANYL_RELATED_SUBSTANCE', 'FENTANYL_PRECURSOR'];

function sendPdf(res: Response, filename: string, pdf: Buffer, inline = true): undefined {
  res.status(200)
    .setHeader('Content-Type', 'application/pdf')
    .setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${filename}"`)
    .setHeader('Cache-Control', 'private, no-store')
    .end(pdf);
  return undefined;
}

export const documentRoutes = [
  defineRoute({
    method: 'get', path: '/samples/:id/label', tag: 'Documents', roles: ['TECHNICIAN', 'MANAGER', 'ADMIN'], params: ZIdParam, produces: ['application/pdf'],
    summary: 'Sample label (PDF, 4 × 2 in, Code 128) with a hazard mark when fentanyl is suspected',
    handler: async ({ params, user, res, deps }) => {
      await findVisibleSample(deps.db, user, params.id);
      const s = (await deps.db.sample.findUnique({ where: { id: params.id }, include: { seizure: true } }))!;
      const port = await deps.db.port.findUnique({ where: { code: s.portCode } });
      const hazard = FENTANYL_CLASS.includes(s.category ?? '') || (await deps.db.test.count({ where: { sampleId: s.id, technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' } })) > 0;
      const pdf = await labelPdf({ barcode: s.barcode, seizureNumber: s.seizure.seizureNumber, itemNumber: s.itemNumber, portCode: s.portCode, portName: port?.name ?? '', registeredAt: s.registeredAt, form: s.form, hazard, priority: s.priority });
      return sendPdf(res, `label-${s.barcode}.pdf`, pdf);
    },
  }),
  defineRoute({
    method: 'get', path: '/samples/:id/report', tag: 'Documents', roles: 'any', params: ZIdParam, produces: ['application/pdf'],
    summary: 'Laboratory report (PDF) of a released sample; 409 before release',
    handler: async ({ params, user, res, deps }) => {
      const visible = await findVisibleSample(deps.db, user, params.id);
      if (!['RELEASED', 'ROUTED'].includes(visible.status)) throw conflict('The report exists once the result is released');
      const s = (await deps.db.sample.findUnique({ where: { id: params.id }, include: { seizure: true, tests: { orderBy: { recordedAt: 'asc' } }, files: { orderBy: { uploadedAt: 'asc' }, include: { blob: { select: { size: true, mediaType: true } } } } } }))!;
      const review = (await deps.db.review.findFirst({ where: { sampleId: s.id, decision: 'APPROVE' }, orderBy: { reviewedAt: 'desc' } }))!;
      const c = (await deps.db.classification.findFirst({ where: { sampleId: s.id, version: review.classificationVersion } }))!;
      const port = await deps.db.port.findUnique({ where: { code: s.portCode } });
      const kase = s.caseId ? await deps.db.case.findUnique({ where: { id: s.caseId } }) : null;
      const people = new Map((await deps.db.user.findMany({ where: { id: { in: [...s.tests.map((t) => t.recordedById), ...s.files.map((f) => f.uploadedById), review.reviewerId] } } })).map((u) => [u.id, u.name]));
      const corrected = new Set(s.tests.map((t) => t.correctsTestId).filter(Boolean));
      const techniques = new Map(deps.engine.ref.techniques.techniques.map((t) => [t.code, t.name]));
      const samplings = [...new Set(s.tests.map((t) => t.samplingId))];
      const plan = s.unitCount && s.unitCount > 1 ? samplingPlan({ population: s.unitCount, confidence: 0.95, proportion: 0.9, allowedNegatives: 0 }) : null;
      const components = c.components as { substance: string; level: string; category: string }[];
      const pdf = await reportPdf({
        reportId: `${s.barcode}-R${c.version}`,
        labName: deps.config.LAB_NAME,
        site: `Forward Operating Lab, port of entry ${s.portCode} ${port?.name ?? ''}${port?.state ? `, ${port.state}` : ''}`,
        agency: `U.S. Customs and Border Protection, port ${s.portCode}`,
        receivedAt: s.registeredAt,
        reportedAt: deps.clock.now(),
        seizureNumber: s.seizure.seizureNumber,
        caseNumber: kase?.caseNumber ?? null,
        item: { itemNumber: s.itemNumber, barcode: s.barcode, description: s.description, form: s.form, grossWeightG: s.grossWeightG, netWeightG: s.netWeightG, netWeightUncertaintyG: s.netWeightUncertaintyG, sealNumber: s.sealNumber, unitCount: s.unitCount },
        tests: s.tests.map((t) => ({
          technique: t.technique, techniqueName: techniques.get(t.technique as never) ?? t.technique, category: t.category, outcome: t.outcome, substance: t.substanceText,
          instrument: t.instrument, performedAt: t.performedAt, analyst: people.get(t.recordedById) ?? t.recordedById, samplingId: t.samplingId, corrected: corrected.has(t.id),
          libraryMatch: libraryMatchLine(t),
        })),
        files: s.files.map((f) => ({ filename: f.filename, kind: f.kind, mediaType: f.blob.mediaType, size: f.blob.size, sha256: f.sha256, uploadedAt: f.uploadedAt, uploadedBy: people.get(f.uploadedById) ?? f.uploadedById })),
        samplingStatement:
          `${samplings.length} sampling${samplings.length === 1 ? '' : 's'} analysed (${samplings.join(', ')}).` +
          // The plan is what the population calls for; how many units were actually tested is the analyst's record.
          (plan ? ` Population of ${s.unitCount} units: the hypergeometric plan (SWGDRUG SD-5) for 95 % confidence that at least 90 % of the units contain the substance calls for ${plan.n} units tested, all positive.` : ' The item was analysed as a single unit or a homogeneous population.'),
        classification: { category: c.category, level: c.level, version: c.version, rationale: c.rationale as string[], warnings: c.warnings as { code: string; message: string }[], components },
        thresholds: c.thresholds as never,
        conclusion: conclusionOf(s.itemNumber, { category: c.category, components }),
        analysts: [...new Set(s.tests.map((t) => people.get(t.recordedById) ?? t.recordedById))],
        authorizer: { name: people.get(review.reviewerId) ?? review.reviewerId, at: review.reviewedAt, meaning: review.signatureMeaning },
      });
      return sendPdf(res, `report-${s.barcode}.pdf`, pdf);
    },
  }),
];
