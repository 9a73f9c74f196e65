import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';
import { assertCanSeeCase } from '../samples/access.ts';
import { requestRelateOnCase } from '../intelligence/relate.request.ts';
import { requestNotifications } from '../notifications/plan.ts';
import {
  activeInvestigator, addCaseEvent, caseSamples, caseSeizures, caseSummary, findCase, lockCase, lockSeizure, setAssignee, setSeizureCase,
} from './cases.repository.ts';

const actorOf = (u: AuthUser) => ({ id: u.id, role: u.role });


/** The case with its seizures, its samples (with their current classification) and its timeline. */
export async function caseDetail(db: Db, id: string, user: AuthUser) {
  const kase = await findCase(db, id);
  assertCanSeeCase(user, kase);
  const seizures = await caseSeizures(db, kase.id);
  const samples = await caseSamples(db, kase.id, seizures.map((s) => s.id));
  return {
    ...caseSummary(kase),
    seizures: seizures.map((s) => ({ id: s.id, seizureNumber: s.seizureNumber, portCode: s.portCode, seizedAt: s.seizedAt, subjectInCustody: s.subjectInCustody })),
    samples: samples.map(({ classification: c, ...s }) => ({
      id: s.id, barcode: s.barcode, seizureId: s.seizureId, form: s.form, status: s.status, netWeightG: s.netWeightG,
      classification: c ? { category: c.category, level: c.level, components: c.components, thresholds: c.thresholds, warnings: c.warnings, version: c.version } : null,
    })),
    timeline: kase.events.map((e) => ({ type: e.type, at: e.at, by: e.byId, data: e.data })),
  };
}

/** A manager hands the case to an investigator, who is told (CASE_ASSIGNED); the same assignee again changes nothing. */
export async function assignCase(tx: Tx, id: string, investigatorId: string, user: AuthUser, now: Date) {
  const before = await lockCase(tx, id);
  if (!before) throw notFound('Case');
  const inv = await activeInvestigator(tx, investigatorId);
  if (!inv) throw new AppError('VALIDATION_FAILED', 'Not an active investigator', [{ path: 'body.investigatorId', message: 'must be an active INVESTIGATOR' }]);
  if (before.assigneeId === inv.id) return caseSummary(before);
  const after = await setAssignee(tx, before.id, inv.id);
  await addCaseEvent(tx, { caseId: before.id, type: 'ASSIGNED', at: now, byId: user.id, data: { from: before.assigneeId, to: inv.id } });
  await appendAudit(tx, { actor: actorOf(user), action: 'case.assign', entityType: 'Case', entityId: before.id, before, after }, now);
  await requestNotifications(tx, { type: 'CASE_ASSIGNED', caseId: before.id, assigneeId: inv.id });
  return caseSummary(after);
}

/** Links another seizure to the case (its assignee or a manager); a seizure belongs to one case at most. */
export async function linkSeizure(tx: Tx, id: string, seizureId: string, user: AuthUser, now: Date) {
  const kase = await lockCase(tx, id);
  assertCanSeeCase(user, kase);
  const seizure = await lockSeizure(tx, seizureId);
  if (!seizure) throw new AppError('VALIDATION_FAILED', 'No such seizure', [{ path: 'body.seizureId', message: 'no seizure with this id' }]);
  if (seizure.caseId && seizure.caseId !== kase.id) throw conflict('The seizure already belongs to another case');
  if (!seizure.caseId) {
    await setSeizureCase(tx, seizure.id, kase.id);
    await addCaseEvent(tx, { caseId: kase.id, type: 'SEIZURE_LINKED', at: now, byId: user.id, data: { seizureId: seizure.id } });
    await appendAudit(tx, { actor: actorOf(user), action: 'case.link-seizure', entityType: 'Seizure', entityId: seizure.id, before: { caseId: null }, after: { caseId: kase.id } }, now);
    // In a case now: a related seizure in someone else's case can be deconflicted.
    await requestRelateOnCase(tx, seizure.id, now);
  }
  return { ...caseSummary(kase), seizureId: seizure.id };
}
