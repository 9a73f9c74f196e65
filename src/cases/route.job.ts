import { randomUUID } from 'node:crypto';
import { latestClassification } from '../classification/classification.repository.ts';
import { isControlled } from '../domain/categories.rules.ts';
import type { JobHandler } from '../entry/deps.ts';
import { conflict, notFound } from '../lib/errors.ts';
import { requestNotifications } from '../notifications/plan.ts';
import { requestRelateOnCase } from '../intelligence/relate.request.ts';
import { lockSample, moveSample } from '../samples/transitions.ts';
import { addCaseEvents, lockSeizure, openNumberedCase } from './cases.repository.ts';

/**
 * RELEASED → ROUTED. The sample joins its seizure's case; without one, a controlled finding opens a
 * case assigned to the port's duty investigator. The case's assignee (managers, while unassigned)
 * gets RESULT_RELEASED, and THRESHOLD_EXCEEDED when a statutory limit is exceeded.
 */
export const routeJob: JobHandler<'route'> = async ({ sampleId }, ctx) => {
  await ctx.db.$transaction(async (tx) => {
    const sample = await lockSample(tx, sampleId);
    if (!sample) throw notFound('Sample');
    if (sample.status !== 'RELEASED') return;
    const row = await tx.sample.findUniqueOrThrow({ where: { id: sampleId } });
    if (!(await lockSeizure(tx, row.seizureId))) throw notFound('Seizure');
    const seizure = await tx.seizure.findUniqueOrThrow({ where: { id: row.seizureId } });
    const classification = await latestClassification(tx, sampleId);
    // Review releases a classification version, so this is a broken record: no retry can route it.
    if (!classification) throw conflict('A released sample without a classification cannot be routed');
    const now = ctx.clock.now();
    // A controlled finding in a seizure without a case opens one, with this id.
    const opening = !seizure.caseId && isControlled(classification.category) ? randomUUID() : null;
    const caseId = seizure.caseId ?? opening;
    const events: Parameters<typeof addCaseEvents>[2] = [];
    let assigneeId: string | null = null;

    // What needs no case row comes first: the port's case counter, taken below, stays locked until
    // commit, and every case opened at the port waits for it.
    if (opening) {
      const duty = await tx.port.findUnique({ where: { code: seizure.portCode } });
      assigneeId = duty?.dutyInvestigatorId ?? null;
      // In a case now: a related seizure in someone else's case can be deconflicted.
      await requestRelateOnCase(tx, seizure.id, now);
      if (assigneeId) await requestNotifications(tx, { type: 'CASE_ASSIGNED', caseId: opening, sampleId, assigneeId });
      events.push({ type: 'OPENED', at: now, data: { seizureId: seizure.id, assigneeId } });
      events.push({ type: 'SEIZURE_LINKED', at: now, data: { seizureId: seizure.id } });
    }
    if (caseId) {
      const { category, level, version } = classification;
      await requestNotifications(tx, { type: 'RESULT_RELEASED', sampleId, caseId });
      if (classification.thresholds.some((t) => t.status === 'EXCEEDS')) await requestNotifications(tx, { type: 'THRESHOLD_EXCEEDED', sampleId, caseId });
      events.push({ type: 'SAMPLE_LINKED', at: now, data: { sampleId, barcode: row.barcode } });
      events.push({ type: 'RESULT_RELEASED', at: now, data: { sampleId, category, level, version } });
    }
    // The port's counter: one statement opens the case, links the seizure and writes the events and audit entry.
    if (opening) await openNumberedCase(tx, { id: opening, portCode: seizure.portCode, year: now.getUTCFullYear(), assigneeId, openedAt: now, seizureId: seizure.id, events });
    else if (caseId) await addCaseEvents(tx, caseId, events);
    await moveSample(tx, sample, 'ROUTED', null, now, {
      note: caseId ? 'linked to case' : 'no controlled substance: no case opened',
      data: { caseId },
    });
  });
};
