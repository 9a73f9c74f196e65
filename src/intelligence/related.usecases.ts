import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { ownCaseIds, visibleSeizure } from './access.ts';
import { reasonsFor, type TStoredReason } from './relate.usecases.ts';
import type { TLinkWeights } from './weights.ts';

export type TRelatedItem = {
  linkId: string; seizureId: string | null; seizureNumber: string | null; portCode: string; seizedAt: Date | null; caseNumber: string | null;
  investigatorName: string | null; score: number; reasons: { kind: string; detail: string; weight: number }[]; status: string; restricted: boolean;
};

type TLinkRow = { id: string; seizureAId: string; seizureBId: string; score: number; reasons: unknown; status: string };
export type TOtherSide = { id: string; seizureNumber: string; portCode: string; seizedAt: Date; caseId: string | null; caseNumber: string | null; investigatorName: string | null };

export const otherOf = (l: TLinkRow, id: string) => (l.seizureAId === id ? l.seizureBId : l.seizureAId);

/** Pairs worth showing: suggested at or above the threshold, or decided by someone. */
export function shownLinks(db: Db | Tx, ids: string[], w: TLinkWeights) {
  return db.seizureLink.findMany({
    where: {
      AND: [
        { OR: [{ seizureAId: { in: ids } }, { seizureBId: { in: ids } }] },
        { OR: [{ status: { not: 'SUGGESTED' } }, { score: { gte: w.suggestAt } }] },
      ],
    },
    orderBy: [{ score: 'desc' }, { id: 'asc' }],
  });
}

export async function sidesOf(db: Db | Tx, ids: string[]): Promise<Map<string, TOtherSide>> {
  if (!ids.length) return new Map();
  const rows = await db.$queryRaw<TOtherSide[]>`
    SELECT s.id::text AS id, s."seizureNumber", s."portCode", s."seizedAt", s."caseId"::text AS "caseId", c."caseNumber", u.name AS "investigatorName"
    FROM "Seizure" s LEFT JOIN "Case" c ON c.id = s."caseId" LEFT JOIN "User" u ON u.id = c."assigneeId"
    WHERE s.id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

/** Whether the caller may see the other seizure's content (managers: always; investigators: their own cases only). */
export const mayRead = (own: Set<string> | null, other: TOtherSide) => own === null || (!!other.caseId && own.has(other.caseId));

/**
 * GET /seizures/:id/related. For an investigator, a seizure outside their cases is shown the way
 * deconfliction tells of it: the other case's number, its investigator and port, the score and the
 * reasons as they concern the caller's own seizure — never its id, number, date or the other side's values.
 */
export async function listRelated(db: Db, user: AuthUser, seizureId: string, w: TLinkWeights) {
  await visibleSeizure(db, user, seizureId);
  const links = await shownLinks(db, [seizureId], w);
  const sides = await sidesOf(db, links.map((l) => otherOf(l, seizureId)));
  const own = await ownCaseIds(db, user);
  const items = links.flatMap((l): TRelatedItem[] => {
    const other = sides.get(otherOf(l, seizureId));
    if (!other) return [];
    const reasons = l.reasons as TStoredReason[];
    const common = { linkId: l.id, portCode: other.portCode, caseNumber: other.caseNumber, investigatorName: other.investigatorName, score: l.score, status: l.status };
    if (!mayRead(own, other)) return [{ ...common, seizureId: null, seizureNumber: null, seizedAt: null, restricted: true, reasons: reasonsFor(reasons, seizureId) }];
    return [{ ...common, seizureId: other.id, seizureNumber: other.seizureNumber, seizedAt: other.seizedAt, restricted: false, reasons: reasons.map((r) => ({ kind: r.kind, detail: r.detail, weight: r.weight, strength: r.strength })) }];
  });
  return { items, weightsVersion: w.version, suggestAt: w.suggestAt };
}

/**
 * POST /seizures/:id/links: confirm or dismiss a pair (audited). A dismissal remembers the score it
 * was made at; only new evidence scoring above it suggests the pair again.
 */
export async function decideLink(tx: Tx, user: AuthUser, seizureId: string, body: { otherSeizureId?: string; linkId?: string; decision: 'CONFIRM' | 'DISMISS'; note?: string }, now: Date) {
  await visibleSeizure(tx, user, seizureId);
  const [row] = body.linkId
    ? await tx.$queryRaw<TLinkRow[]>`SELECT * FROM "SeizureLink" WHERE id = ${body.linkId}::uuid AND ${seizureId}::uuid IN ("seizureAId", "seizureBId") FOR UPDATE`
    : await tx.$queryRaw<TLinkRow[]>`SELECT * FROM "SeizureLink" WHERE "seizureAId" = least(${seizureId}::uuid, ${body.otherSeizureId!}::uuid) AND "seizureBId" = greatest(${seizureId}::uuid, ${body.otherSeizureId!}::uuid) FOR UPDATE`;
  if (!row) {
    if (body.otherSeizureId === seizureId) throw new AppError('VALIDATION_FAILED', 'A seizure is not related to itself', [{ path: 'body.otherSeizureId', message: 'must be another seizure' }]);
    // A pair the scoring never proposed: a manager or investigator may still confirm it by hand.
    if (!body.otherSeizureId || body.decision === 'DISMISS' || !(await tx.seizure.count({ where: { id: body.otherSeizureId } }))) throw notFound('Related seizure');
    if (user.role === 'INVESTIGATOR') await visibleSeizure(tx, user, body.otherSeizureId);
  }
  const status = body.decision === 'CONFIRM' ? 'CONFIRMED' : 'DISMISSED';
  const decided = { status, decidedById: user.id, decidedAt: now, note: body.note ?? null };
  let link;
  if (row) {
    link = await tx.seizureLink.update({ where: { id: row.id }, data: { ...decided, dismissedScore: status === 'DISMISSED' ? row.score : null } });
  } else {
    const [a, b] = [seizureId, body.otherSeizureId!].sort() as [string, string];
    link = await tx.seizureLink.create({ data: { seizureAId: a, seizureBId: b, score: 0, reasons: [{ kind: 'MANUAL', detail: 'linked by hand', weight: 0, strength: 'CONTEXT' }], weightsVersion: 'manual', computedAt: now, ...decided } });
  }
  await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: `link.${body.decision.toLowerCase()}`, entityType: 'SeizureLink', entityId: link.id, before: row ? { status: row.status } : null, after: { status, note: body.note ?? null, score: link.score } }, now);
  return { linkId: link.id, status: link.status, score: link.score, decidedAt: now };
}
