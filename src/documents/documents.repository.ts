import { classificationVersion } from '../classification/classification.repository.ts';
import type { Db } from '../lib/db.ts';

/** Everything a label prints: the sample, its seizure and port, and whether a strip already said fentanyl. */
export async function labelFacts(db: Db, sampleId: string) {
  const sample = await db.sample.findUniqueOrThrow({ where: { id: sampleId }, include: { seizure: true } });
  const port = await db.port.findUnique({ where: { code: sample.portCode } });
  const stripPositive = (await db.test.count({ where: { sampleId, technique: 'FENTANYL_TEST_STRIP', outcome: 'POSITIVE' } })) > 0;
  return { sample, port, stripPositive };
}

/**
 * Everything a lab report states: the sample with its tests and attached files, the approving review and the
 * classification version it signed (JSON parsed), the port, the case, and the names of the people.
 * Null parts mean the record is not releasable as it stands.
 */
export async function reportFacts(db: Db, sampleId: string) {
  const sample = await db.sample.findUniqueOrThrow({
    where: { id: sampleId },
    include: { seizure: true, tests: { orderBy: { recordedAt: 'asc' } }, files: { orderBy: { uploadedAt: 'asc' }, include: { blob: { select: { size: true, mediaType: true } } } } },
  });
  const review = await db.review.findFirst({ where: { sampleId, decision: 'APPROVE' }, orderBy: { reviewedAt: 'desc' } });
  const classification = review ? await classificationVersion(db, sampleId, review.classificationVersion) : null;
  const port = await db.port.findUnique({ where: { code: sample.portCode } });
  const kase = sample.caseId ? await db.case.findUnique({ where: { id: sample.caseId } }) : null;
  const ids = [...sample.tests.map((t) => t.recordedById), ...sample.files.map((f) => f.uploadedById), ...(review ? [review.reviewerId] : [])];
  const people = new Map((await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return { sample, review, classification, port, kase, people };
}
