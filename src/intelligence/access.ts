import type { AuthUser } from '../auth/sessions.ts';
import type { Db, Tx } from '../lib/db.ts';
import { HiddenRecord, notFound } from '../lib/errors.ts';

/**
 * Seizure-level access for the intelligence routes: lab staff and managers see every seizure; an
 * investigator only seizures of cases assigned to them. Anything else is a 404, as if absent.
 */
export async function visibleSeizure(db: Db | Tx, user: AuthUser, seizureId: string) {
  const s = await db.seizure.findUnique({ where: { id: seizureId } });
  if (!s) throw notFound('Seizure');
  if (user.role === 'INVESTIGATOR') {
    const mine = s.caseId ? await db.case.count({ where: { id: s.caseId, assigneeId: user.id } }) : 0;
    if (!mine) throw new HiddenRecord('Seizure');
  }
  return s;
}

/** The case ids assigned to an investigator (null for roles that see everything). */
export async function ownCaseIds(db: Db | Tx, user: AuthUser): Promise<Set<string> | null> {
  if (user.role !== 'INVESTIGATOR') return null;
  return new Set((await db.case.findMany({ where: { assigneeId: user.id }, select: { id: true } })).map((c) => c.id));
}
