import type { AuthUser } from '../auth/sessions.ts';
import type { Tx, Db } from '../lib/db.ts';
import { HiddenRecord, notFound } from '../lib/errors.ts';

/**
 * Object-level access to cases, seizures and samples. Lab staff and managers see every record; an
 * investigator sees only what hangs off a case assigned to them. Anything else is a 404, exactly as
 * if it did not exist (OWASP API1: BOLA); a record that exists but is not the caller's is thrown as
 * HiddenRecord, which the HTTP layer logs as a refused read with the caller's id.
 */

/** The case when the caller may see it: absent is notFound, someone else's HiddenRecord (both a 404). */
export function assertCanSeeCase<T extends { assigneeId: string | null }>(user: AuthUser, kase: T | null): asserts kase is T {
  if (!kase) throw notFound('Case');
  if (user.role === 'INVESTIGATOR' && kase.assigneeId !== user.id) throw new HiddenRecord('Case');
}

export async function assertCanSeeSample(db: Db | Tx, user: AuthUser, sample: { caseId: string | null; seizureId: string }): Promise<void> {
  if (user.role !== 'INVESTIGATOR') return;
  const seizure = await db.seizure.findUnique({ where: { id: sample.seizureId }, select: { caseId: true } });
  const caseIds = [sample.caseId, seizure?.caseId].filter((x): x is string => !!x);
  const assigned = caseIds.length ? await db.case.count({ where: { id: { in: caseIds }, assigneeId: user.id } }) : 0;
  if (!assigned) throw new HiddenRecord('Sample');
}

/** Prisma filter on samples for the caller's role (used by lists). */
export async function sampleScope(db: Db, user: AuthUser) {
  if (user.role !== 'INVESTIGATOR') return {};
  const ids = (await db.case.findMany({ where: { assigneeId: user.id }, select: { id: true } })).map((c) => c.id);
  return { OR: [{ caseId: { in: ids } }, { seizure: { caseId: { in: ids } } }] };
}

/** The sample's access facts when the caller may see it; otherwise a 404 as if it did not exist. */
export async function findVisibleSample(db: Db | Tx, user: AuthUser, id: string) {
  const sample = await db.sample.findUnique({ where: { id }, select: { id: true, caseId: true, seizureId: true, status: true, portCode: true } });
  if (!sample) throw notFound('Sample');
  await assertCanSeeSample(db, user, sample);
  return sample;
}
