import type { AuthUser } from '../auth/sessions.ts';
import type { Tx, Db } from '../lib/db.ts';
import { HiddenRecord, notFound } from '../lib/errors.ts';

/**
 * Object-level access to seizures and samples. Lab staff and managers see every record; an
 * investigator sees only what hangs off a case assigned to them. Anything else is a 404, exactly as
 * if it did not exist (OWASP API1: BOLA).
 */
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
