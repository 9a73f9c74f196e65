import { appendAudit } from '../audit/audit.ts';
import type { TReason } from '../domain/link-scoring.rules.ts';
import type { Db, Tx } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import { enqueue } from '../queue/outbox.ts';
import { planWebhooks } from '../webhooks/webhooks.usecases.ts';
import { computeRelated, type TScoredCandidate } from './related.compute.ts';
import type { TLinkWeights } from './weights.ts';

/** A reason as stored on a link: `perSeizure` holds what each side may read when the detail names the other's values. */
export type TStoredReason = { kind: string; detail: string; weight: number; strength: string; perSeizure?: Record<string, string> };

const pair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

function stored(subject: string, candidate: string, reasons: TReason[]): TStoredReason[] {
  return reasons.map(({ sides, ...r }) => (sides ? { ...r, perSeizure: { [subject]: sides[0], [candidate]: sides[1] } } : r));
}

/**
 * Rescores one seizure against every candidate and stores the pairs worth keeping. A dismissed pair
 * stays dismissed unless new evidence raises its score above the score it was dismissed at. Then,
 * for every suggested or confirmed pair that crosses two investigators' cases, each investigator is
 * told once (deconfliction). Safe to repeat: upserts on the pair, and a flag on the pair for the telling.
 */
export async function relateSeizure(db: Db, seizureId: string, w: TLinkWeights, now: Date, log: Logger): Promise<{ examined: number; kept: number }> {
  const { examined, scored } = await computeRelated(db, seizureId, w);
  const byOther = new Map(scored.map((c) => [c.seizureId, c]));
  return db.$transaction(async (tx) => {
    const existing = await tx.seizureLink.findMany({ where: { OR: [{ seizureAId: seizureId }, { seizureBId: seizureId }] } });
    const known = new Set(existing.map((l) => (l.seizureAId === seizureId ? l.seizureBId : l.seizureAId)));
    let kept = 0;
    for (const c of scored) {
      if (c.score < w.suggestAt && !known.has(c.seizureId)) continue;
      await upsertLink(tx, seizureId, c, w, now);
      kept++;
    }
    // Evidence that went away (a classification changed): the pair keeps its decision, its score drops.
    for (const l of existing) {
      const other = l.seizureAId === seizureId ? l.seizureBId : l.seizureAId;
      if (!byOther.has(other)) await tx.seizureLink.update({ where: { id: l.id }, data: { score: 0, reasons: [], computedAt: now, weightsVersion: w.version } });
    }
    await tx.seizure.update({ where: { id: seizureId }, data: { relatedAt: now } });
    const told = await deconflict(tx, seizureId, w, now);
    if (told) log.info({ seizureId, pairs: told }, 'related seizures across cases: both investigators told');
    return { examined, kept };
  }, { timeout: 30_000 });
}

async function upsertLink(tx: Tx, subject: string, c: TScoredCandidate, w: TLinkWeights, now: Date): Promise<void> {
  const [a, b] = pair(subject, c.seizureId);
  const reasons = JSON.stringify(stored(subject, c.seizureId, c.reasons));
  const [row] = await tx.$queryRaw<{ id: string; status: string; dismissedScore: number | null }[]>`
    INSERT INTO "SeizureLink" (id, "seizureAId", "seizureBId", score, reasons, status, "weightsVersion", "computedAt")
    VALUES (gen_random_uuid(), ${a}::uuid, ${b}::uuid, ${c.score}, ${reasons}::jsonb, 'SUGGESTED', ${w.version}, ${now})
    ON CONFLICT ("seizureAId", "seizureBId") DO UPDATE SET
      score = EXCLUDED.score, reasons = EXCLUDED.reasons, "weightsVersion" = EXCLUDED."weightsVersion", "computedAt" = EXCLUDED."computedAt",
      status = CASE WHEN "SeizureLink".status = 'DISMISSED' AND EXCLUDED.score > "SeizureLink"."dismissedScore" + 0.0005
                    THEN 'SUGGESTED' ELSE "SeizureLink".status END
    RETURNING id, status, "dismissedScore"`;
  // Only a dismissal just lifted by new evidence leaves a SUGGESTED pair with a dismissedScore.
  if (row && row.status === 'SUGGESTED' && row.dismissedScore !== null) {
    await tx.seizureLink.update({ where: { id: row.id }, data: { dismissedScore: null } });
    await appendAudit(tx, { actor: null, action: 'link.resuggest', entityType: 'SeizureLink', entityId: row.id, before: { status: 'DISMISSED', score: row.dismissedScore }, after: { status: 'SUGGESTED', score: c.score, reasons: c.reasons } }, now);
  }
}

type TSide = { seizureId: string; seizureNumber: string; portCode: string; caseId: string; caseNumber: string; assigneeId: string; assigneeName: string };

async function sideOf(tx: Tx, seizureId: string): Promise<TSide | null> {
  const [r] = await tx.$queryRaw<TSide[]>`
    SELECT s.id::text AS "seizureId", s."seizureNumber", s."portCode", c.id::text AS "caseId", c."caseNumber",
           u.id::text AS "assigneeId", u.name AS "assigneeName"
    FROM "Seizure" s JOIN "Case" c ON c.id = s."caseId" JOIN "User" u ON u.id = c."assigneeId"
    WHERE s.id = ${seizureId}::uuid`;
  return r ?? null;
}

/** What one side is told: the other case's number, investigator and port, the score, and its own side of the reasons. */
export function reasonsFor(reasons: TStoredReason[], ownSeizureId: string) {
  return reasons.map((r) => ({ kind: r.kind, detail: r.perSeizure?.[ownSeizureId] ?? r.detail, weight: r.weight }));
}

async function deconflict(tx: Tx, seizureId: string, w: TLinkWeights, now: Date): Promise<number> {
  // A seizure in no investigator's case has nobody to tell yet: it is rescored when it joins one.
  if (!(await sideOf(tx, seizureId))) return 0;
  const links = await tx.seizureLink.findMany({
    where: { OR: [{ seizureAId: seizureId }, { seizureBId: seizureId }], deconflictedAt: null, status: { not: 'DISMISSED' }, score: { gte: w.deconflictAt } },
  });
  let told = 0;
  for (const l of links) {
    const [a, b] = await Promise.all([sideOf(tx, l.seizureAId), sideOf(tx, l.seizureBId)]);
    if (!a || !b || a.assigneeId === b.assigneeId) continue;
    // The flag is taken first: of two jobs racing on one pair, one tells, the other finds it taken.
    const taken = await tx.seizureLink.updateMany({ where: { id: l.id, deconflictedAt: null }, data: { deconflictedAt: now } });
    if (!taken.count) continue;
    const reasons = l.reasons as TStoredReason[];
    for (const [own, other] of [[a, b], [b, a]] as const) {
      const title = `Related seizure in case ${other.caseNumber} (${other.assigneeName}, port ${other.portCode}) — score ${l.score.toFixed(2)}`;
      const body = {
        ownSeizureId: own.seizureId, ownSeizureNumber: own.seizureNumber, otherCaseNumber: other.caseNumber,
        otherInvestigator: other.assigneeName, otherPortCode: other.portCode, score: l.score, reasons: reasonsFor(reasons, own.seizureId),
      };
      const [n] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "Notification" (id, type, "recipientId", "sampleId", "caseId", title, body, "createdAt")
        VALUES (gen_random_uuid(), 'RELATED_SEIZURE', ${own.assigneeId}::uuid, NULL, ${own.caseId}::uuid, ${title}, ${JSON.stringify(body)}::jsonb, ${now})
        RETURNING id`;
      await enqueue(tx, 'notify', { notificationId: n!.id });
    }
    // Webhooks subscribed to RELATED_SEIZURE (a deconfliction desk's system) hear of the pair once:
    // both cases' numbers, investigators and ports, the score and the kinds of reason — no observed values.
    const cases = [a, b].map((s) => ({ caseNumber: s.caseNumber, investigator: s.assigneeName, portCode: s.portCode }));
    await planWebhooks(tx, 'RELATED_SEIZURE', {
      event: 'RELATED_SEIZURE', occurredAt: now.toISOString(), sampleId: null, caseId: null,
      title: `Related seizures in cases ${a.caseNumber} and ${b.caseNumber} — score ${l.score.toFixed(2)}`,
      data: { linkId: l.id, score: l.score, cases, reasons: reasons.map((r) => ({ kind: r.kind, strength: r.strength, weight: r.weight })) },
    }, `RELATED_SEIZURE:${l.id}`);
    await appendAudit(tx, { actor: null, action: 'link.deconflict', entityType: 'SeizureLink', entityId: l.id, after: { caseNumbers: [a.caseNumber, b.caseNumber], recipients: [a.assigneeId, b.assigneeId], score: l.score } }, now);
    told++;
  }
  return told;
}
