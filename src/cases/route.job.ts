import { appendAudit } from '../audit/audit.ts';
import { lockSample, moveSample } from '../intake/sample-transitions.ts';
import type { Tx } from '../lib/db.ts';
import { requestNotifications } from '../notifications/plan.ts';
import type { JobHandler } from '../queue/job-context.ts';
import { requestRelateOnCase } from '../intelligence/relate.request.ts';

const NOT_CONTROLLED = ['NO_CONTROLLED_SUBSTANCE_IDENTIFIED', 'INCONCLUSIVE'];

/** HSI-<port>-<year>-<seq>: the counter row is locked by the upsert, so the sequence has no gaps. */
async function nextCaseNumber(tx: Tx, portCode: string, year: number): Promise<string> {
  const [row] = await tx.$queryRaw<{ lastSeq: number }[]>`
    INSERT INTO "CaseCounter" ("portCode", year, "lastSeq") VALUES (${portCode}, ${year}, 1)
    ON CONFLICT ("portCode", year) DO UPDATE SET "lastSeq" = "CaseCounter"."lastSeq" + 1
    RETURNING "lastSeq"`;
  return `HSI-${portCode}-${year}-${String(row!.lastSeq).padStart(6, '0')}`;
}

/**
 * RELEASED → ROUTED. The sample joins its seizure's case; without one, a controlled finding opens a
 * case assigned to the port's duty investigator. The case's assignee (managers, while unassigned)
 * gets RESULT_RELEASED, and THRESHOLD_EXCEEDED when a statutory limit is exceeded.
 */
export const routeJob: JobHandler<'route'> = async ({ sampleId }, ctx) => {
  await ctx.db.$transaction(async (tx) => {
    const sample = await lockSample(tx, sampleId);
    if (!sample || sample.status !== 'RELEASED') return;
    const row = (await tx.sample.findUnique({ where: { id: sampleId } }))!;
    await tx.$queryRaw`SELECT id FROM "Seizure" WHERE id = ${row.seizureId}::uuid FOR UPDATE`;
    const seizure = (await tx.seizure.findUnique({ where: { id: row.seizureId } }))!;
    const classification = (await tx.classification.findFirst({ where: { sampleId }, orderBy: { version: 'desc' } }))!;
    const now = ctx.clock.now();
    let caseId = seizure.caseId;

    if (!caseId && !NOT_CONTROLLED.includes(classification.category)) {
      const duty = await tx.port.findUnique({ where: { code: seizure.portCode } });
      const opened = await tx.case.create({
        data: {
          caseNumber: await nextCaseNumber(tx, seizure.portCode, now.getUTCFullYear()),
          portCode: seizure.portCode,
          assigneeId: duty?.dutyInvestigatorId ?? null,
          openedAt: now,
        },
      });
      caseId = opened.id;
      await tx.seizure.update({ where: { id: seizure.id }, data: { caseId } });
      await tx.caseEvent.create({ data: { caseId, type: 'OPENED', at: now, data: { seizureId: seizure.id, assigneeId: opened.assigneeId } } });
      await tx.caseEvent.create({ data: { caseId, type: 'SEIZURE_LINKED', at: now, data: { seizureId: seizure.id } } });
      await appendAudit(tx, { actor: null, action: 'case.open', entityType: 'Case', entityId: caseId, after: opened }, now);
      // In a case now: a related seizure in someone else's case can be deconflicted.
      await requestRelateOnCase(tx, seizure.id, now);
      if (opened.assigneeId) await requestNotifications(tx, { type: 'CASE_ASSIGNED', caseId, sampleId, assigneeId: opened.assigneeId });
    }

    if (caseId) {
      await tx.caseEvent.create({ data: { caseId, type: 'SAMPLE_LINKED', at: now, data: { sampleId, barcode: row.barcode } } });
      await tx.caseEvent.create({
        data: { caseId, type: 'RESULT_RELEASED', at: now, data: { sampleId, category: classification.category, level: classification.level, version: classification.version } },
      });
      await requestNotifications(tx, { type: 'RESULT_RELEASED', sampleId, caseId });
      if ((classification.thresholds as { status: string }[]).some((t) => t.status === 'EXCEEDS')) {
        await requestNotifications(tx, { type: 'THRESHOLD_EXCEEDED', sampleId, caseId });
      }
    }
    await moveSample(tx, sample, 'ROUTED', null, now, {
      note: caseId ? 'linked to case' : 'no controlled substance: no case opened',
      data: { caseId },
    });
  });
};
