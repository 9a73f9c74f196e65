import { z } from 'zod';
import { parseClassification } from '../classification/classification.repository.ts';
import { Prisma, type Db, type Tx } from '../lib/db.ts';
import { listPage } from '../http/cursor.ts';
import { auditInsertSelect } from '../audit/audit.ts';
import { toPlainJson } from '../audit/canonical.ts';

/** What each case event carries (seizure linked, sample linked, assigned, …): a small object, or nothing. */
const ZCaseEventData = z.record(z.string(), z.unknown()).nullable();

export type TCaseEventType = 'OPENED' | 'SEIZURE_LINKED' | 'SAMPLE_LINKED' | 'RESULT_RELEASED' | 'ASSIGNED';

export const caseSummary = (c: { id: string; caseNumber: string; status: string; assigneeId: string | null; portCode: string; openedAt: Date }) => ({
  id: c.id, caseNumber: c.caseNumber, status: c.status, assigneeId: c.assigneeId, portCode: c.portCode, openedAt: c.openedAt,
});

/** Newest first, paged by the last id (a cursor naming no case is a 400); an assignee narrows it to that investigator's cases. */
export function listCases(db: Db, f: { assigneeId?: string; limit: number; cursor?: string }) {
  return listPage(
    f.limit, f.cursor,
    (args) => db.case.findMany({ where: f.assigneeId ? { assigneeId: f.assigneeId } : {}, orderBy: [{ openedAt: 'desc' }, { id: 'desc' }], ...args }),
    async (id) => !!(await db.case.findUnique({ where: { id }, select: { id: true } })),
  );
}

/** The case and its timeline (event data parsed), or null. */
export async function findCase(db: Db, id: string) {
  const kase = await db.case.findUnique({ where: { id }, include: { events: { orderBy: { id: 'asc' } } } });
  return kase && { ...kase, events: kase.events.map((e) => ({ ...e, data: ZCaseEventData.parse(e.data) })) };
}

export const caseSeizures = (db: Db, caseId: string) => db.seizure.findMany({ where: { caseId }, orderBy: { seizedAt: 'asc' } });

/** Samples linked to the case directly or through one of its seizures, each with its current classification. */
export async function caseSamples(db: Db, caseId: string, seizureIds: string[]) {
  const samples = await db.sample.findMany({
    where: { OR: [{ caseId }, { seizureId: { in: seizureIds } }] },
    include: { classifications: { orderBy: { version: 'desc' }, take: 1 } },
    orderBy: { registeredAt: 'asc' },
  });
  return samples.map(({ classifications: [latest], ...s }) => ({ ...s, classification: latest ? parseClassification(latest) : null }));
}

/** Locks the case row for the rest of the transaction; null when there is no such case. */
export async function lockCase(tx: Tx, id: string) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Case" WHERE id = ${id}::uuid FOR UPDATE`;
  return row ? tx.case.findUniqueOrThrow({ where: { id } }) : null;
}

/** Locks the seizure row (which case it belongs to must not change under us); null when absent. */
export async function lockSeizure(tx: Tx, id: string) {
  const [row] = await tx.$queryRaw<{ id: string; caseId: string | null }[]>`SELECT id, "caseId" FROM "Seizure" WHERE id = ${id}::uuid FOR UPDATE`;
  return row ?? null;
}

/** A seizure by its number, compared without regard to case (people type "sz-2604-…"). */
export const findSeizureByNumber = (db: Db | Tx, seizureNumber: string) =>
  db.seizure.findFirst({ where: { seizureNumber: { equals: seizureNumber, mode: 'insensitive' } }, select: { id: true } });

export const setAssignee = (tx: Tx, caseId: string, assigneeId: string) => tx.case.update({ where: { id: caseId }, data: { assigneeId } });

export const setSeizureCase = (tx: Tx, seizureId: string, caseId: string) => tx.seizure.update({ where: { id: seizureId }, data: { caseId } });

export const addCaseEvent = (tx: Tx, e: { caseId: string; type: TCaseEventType; at: Date; byId?: string | null; data: Record<string, unknown> }) =>
  tx.caseEvent.create({ data: { caseId: e.caseId, type: e.type, at: e.at, byId: e.byId ?? null, data: e.data as never } });

export type TOpenedCase = { id: string; caseNumber: string; status: string; assigneeId: string | null; portCode: string; openedAt: Date };

type TCaseEventInput = { type: TCaseEventType; at: Date; byId?: string | null; data: Record<string, unknown> };

const caseEventRows = (caseId: string, events: TCaseEventInput[]) =>
  Prisma.join(events.map((e) => Prisma.sql`(${caseId}::uuid, ${e.type}, ${e.at}, ${e.byId ?? null}::uuid, ${JSON.stringify(e.data)}::jsonb)`));

/**
 * Opens a case for a seizure in one statement: takes the port's next case number
 * (HSI-<port>-<year>-<seq>), creates the case with it, links the seizure, writes the case's events
 * (ids, and so the timeline, in the given order) and the `case.open` audit entry, whose `after` is the
 * case as created. The counter row stays locked until the transaction ends (that keeps the sequence
 * gapless) and every case opened at the port waits for that commit, so a caller takes it as late as
 * it can, and this one statement holds it instead of one per write.
 */
export async function openNumberedCase(
  tx: Tx,
  c: { id: string; portCode: string; year: number; assigneeId: string | null; openedAt: Date; seizureId: string; events: TCaseEventInput[] },
): Promise<TOpenedCase> {
  // The audit entry's `after` is the case row; only its number comes from the counter, the rest is known here.
  const known = toPlainJson({ id: c.id, status: 'OPEN', assigneeId: c.assigneeId, portCode: c.portCode, openedAt: c.openedAt });
  const events = c.events.length
    ? Prisma.sql`, events AS (INSERT INTO "CaseEvent" ("caseId", type, at, "byId", data) VALUES ${caseEventRows(c.id, c.events)})`
    : Prisma.empty;
  const [row] = await tx.$queryRaw<TOpenedCase[]>`
    WITH counter AS (
      INSERT INTO "CaseCounter" ("portCode", year, "lastSeq") VALUES (${c.portCode}, ${c.year}, 1)
      ON CONFLICT ("portCode", year) DO UPDATE SET "lastSeq" = "CaseCounter"."lastSeq" + 1
      RETURNING "lastSeq"::text AS seq),
    opened AS (
      INSERT INTO "Case" (id, "caseNumber", status, "assigneeId", "portCode", "openedAt")
      SELECT ${c.id}::uuid, 'HSI-' || ${c.portCode} || '-' || ${String(c.year)} || '-' || lpad(seq, greatest(6, length(seq)), '0'), 'OPEN', ${c.assigneeId}::uuid, ${c.portCode}, ${c.openedAt}
      FROM counter
      RETURNING id, "caseNumber", status, "assigneeId", "portCode", "openedAt"),
    linked AS (UPDATE "Seizure" SET "caseId" = ${c.id}::uuid WHERE id = ${c.seizureId}::uuid),
    audit AS (${auditInsertSelect({ actor: null, action: 'case.open', entityType: 'Case', entityId: c.id }, c.openedAt, Prisma.sql`${JSON.stringify(known)}::jsonb || jsonb_build_object('caseNumber', opened."caseNumber")`, Prisma.sql`opened`)})
    ${events}
    SELECT * FROM opened`;
  return row!;
}

/** Several events of one case in one INSERT (one round trip); ids, and so the timeline, follow the given order. */
export async function addCaseEvents(tx: Tx, caseId: string, events: TCaseEventInput[]): Promise<void> {
  if (!events.length) return;
  await tx.$executeRaw`INSERT INTO "CaseEvent" ("caseId", type, at, "byId", data) VALUES ${caseEventRows(caseId, events)}`;
}

/** An investigator who may hold a case: exists, has the role, is not disabled. */
export async function activeInvestigator(tx: Tx, id: string) {
  const u = await tx.user.findUnique({ where: { id } });
  return u && u.role === 'INVESTIGATOR' && !u.disabledAt ? u : null;
}
