import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import { JURISDICTIONS } from '../domain/closed-sets.ts';
import { pressSentence, tallyByWeek, tallyExhibits } from '../domain/tally.rules.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';
import { assertCanSeeCase } from '../samples/access.ts';
import type { TCreateOperation } from './operations.schemas.ts';
import { operationFigures } from './summary.sql.ts';
import { insertTag, tagByRule } from './tagging.ts';

const actor = (u: AuthUser) => ({ id: u.id, role: u.role });
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export const operationView = (o: { id: string; name: string; startsOn: Date; endsOn: Date | null; portCodes: string[]; description: string; createdAt: Date }, seizures?: number) => ({
  id: o.id, name: o.name, startsOn: day(o.startsOn), endsOn: day(o.endsOn), portCodes: o.portCodes, description: o.description, createdAt: o.createdAt,
  ...(seizures === undefined ? {} : { seizures }),
});

/** A new operation; seizures its rule covers that are already registered are tagged at once. */
export async function createOperation(tx: Tx, input: TCreateOperation, user: AuthUser, now: Date) {
  const known = await tx.port.count({ where: { code: { in: input.portCodes } } });
  if (known !== new Set(input.portCodes).size) throw new AppError('VALIDATION_FAILED', 'Unknown port code', [{ path: 'body.portCodes', message: 'every code must be a known port' }]);
  if (await tx.operation.findUnique({ where: { name: input.name } })) throw conflict(`An operation named ${input.name} exists`);
  const op = await tx.operation.create({
    data: { name: input.name, startsOn: new Date(input.startsOn), endsOn: input.endsOn ? new Date(input.endsOn) : null, portCodes: [...new Set(input.portCodes)], description: input.description, createdById: user.id, createdAt: now },
  });
  const tagged = await tagByRule(tx, op, now);
  await appendAudit(tx, { actor: actor(user), action: 'operation.create', entityType: 'Operation', entityId: op.id, after: { ...op, taggedByRule: tagged } }, now);
  return operationView(op, tagged);
}

export async function tagManually(tx: Tx, operationId: string, ref: { seizureId?: string; seizureNumber?: string }, user: AuthUser, now: Date) {
  if (!(await tx.operation.findUnique({ where: { id: operationId } }))) throw notFound('Operation');
  const seizure = await tx.seizure.findUnique({ where: ref.seizureId ? { id: ref.seizureId } : { seizureNumber: ref.seizureNumber! } });
  if (!seizure) {
    throw new AppError('VALIDATION_FAILED', 'No such seizure', [ref.seizureId ? { path: 'body.seizureId', message: 'no seizure with this id' } : { path: 'body.seizureNumber', message: `no seizure numbered ${ref.seizureNumber}` }]);
  }
  const seizureId = seizure.id;
  const added = await insertTag(tx, operationId, seizureId, 'MANUAL', user.id, now);
  if (added) await appendAudit(tx, { actor: actor(user), action: 'operation.tag', entityType: 'Operation', entityId: operationId, after: { seizureId, taggedBy: 'MANUAL' } }, now);
  return { operationId, seizureId, seizureNumber: seizure.seizureNumber, tagged: added };
}

/** GET /operations/:id/seizures: the seizures tagged to it, newest first, with how each was tagged. */
export async function operationSeizures(db: Db, operationId: string, limit: number) {
  if (!(await db.operation.count({ where: { id: operationId } }))) throw notFound('Operation');
  const [rows, total] = await Promise.all([
    db.$queryRaw<{ seizureId: string; seizureNumber: string; portCode: string; seizedAt: Date; caseNumber: string | null; taggedBy: string; taggedAt: Date }[]>`
      SELECT s.id::text AS "seizureId", s."seizureNumber", s."portCode", s."seizedAt", c."caseNumber", os."taggedBy", os."taggedAt"
      FROM "OperationSeizure" os JOIN "Seizure" s ON s.id = os."seizureId" LEFT JOIN "Case" c ON c.id = s."caseId"
      WHERE os."operationId" = ${operationId}::uuid ORDER BY s."seizedAt" DESC, s.id LIMIT ${limit}`,
    db.operationSeizure.count({ where: { operationId } }),
  ]);
  return { items: rows, total };
}

/** Arrests on a case (audited): its assignee or a manager; anyone else is told the case does not exist. */
export async function recordArrests(tx: Tx, caseId: string, input: { jurisdiction: string; count: number; at: string; note?: string }, user: AuthUser, now: Date) {
  const kase = await tx.case.findUnique({ where: { id: caseId } });
  assertCanSeeCase(user, kase);
  const at = new Date(input.at);
  if (at.getTime() > now.getTime() + 5 * 60_000) throw new AppError('VALIDATION_FAILED', 'at is in the future', [{ path: 'body.at', message: 'must not be in the future' }]);
  const a = await tx.arrest.create({ data: { caseId, jurisdiction: input.jurisdiction, count: input.count, at, note: input.note ?? null, recordedById: user.id, recordedAt: now } });
  await tx.caseEvent.create({ data: { caseId, type: 'ARRESTS_RECORDED', at: now, byId: user.id, data: { jurisdiction: a.jurisdiction, count: a.count, at } } });
  await appendAudit(tx, { actor: actor(user), action: 'case.arrests', entityType: 'Arrest', entityId: a.id, after: a }, now);
  return { id: a.id, caseId, jurisdiction: a.jurisdiction, count: a.count, at: a.at, note: a.note, recordedAt: a.recordedAt };
}

/** From the operation's launch (or an earlier seizure tagged by hand) to its close or `asOf`, whichever is first (or a later seizure). */
function weekSpan(op: { startsOn: Date; endsOn: Date | null }, asOf: Date, seizures: { seizedAt: Date }[]): [Date, Date] {
  const times = seizures.map((s) => s.seizedAt.getTime());
  const end = op.endsOn && op.endsOn < asOf ? op.endsOn : asOf;
  return [new Date(Math.min(op.startsOn.getTime(), ...times)), new Date(Math.max(end.getTime(), ...times))];
}

/** GET /operations/:id/summary: the tally as of `asOf` (default now), in all and week by week. */
export async function operationSummary(db: Db, id: string, asOf: Date) {
  const op = await db.operation.findUnique({ where: { id } });
  if (!op) throw notFound('Operation');
  const { seizures, rows, arrests } = await operationFigures(db, id, asOf);
  const t = tallyExhibits(rows);
  const byJurisdiction = JURISDICTIONS.map((j) => ({ jurisdiction: j, count: arrests.find((a) => a.jurisdiction === j)?.count ?? 0 }));
  const ports = [...new Set(seizures.map((s) => s.portCode))].sort().map((code) => ({ portCode: code, seizures: seizures.filter((s) => s.portCode === code).length }));
  return {
    operation: operationView(op),
    asOf,
    seizures: seizures.length,
    arrests: { total: byJurisdiction.reduce((n, a) => n + a.count, 0), byJurisdiction },
    byCategory: t.byCategory.map(({ key, ...w }) => ({ category: key, ...w })),
    bySubstance: t.bySubstance.map(({ key, ...w }) => ({ substance: key, ...w })),
    pendingAnalysis: t.pendingAnalysis,
    unweighedExhibits: t.unweighedExhibits,
    ports,
    sentence: pressSentence(op, asOf, seizures.length, byJurisdiction, t),
    byWeek: tallyByWeek(seizures, rows, ...weekSpan(op, asOf, seizures)).map((w) => ({ ...w, byCategory: w.byCategory.map(({ key, ...x }) => ({ category: key, ...x })) })),
  };
}
export type TOperationSummary = Awaited<ReturnType<typeof operationSummary>>;
