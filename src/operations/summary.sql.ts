import type { TCategory } from '../domain/reference-data.ts';
import type { TExhibitRow } from '../domain/tally.rules.ts';
import type { Db } from '../lib/db.ts';

/**
 * The figures behind an operation's tally, as of a moment: its seizures made by then, the exhibits
 * of those seizures with the classifications their samples had been released with by then (the
 * version the reviewer signed), and the arrests recorded on their cases by then.
 */
export async function operationFigures(db: Db, operationId: string, asOf: Date) {
  const seizures = await db.$queryRaw<{ id: string; portCode: string; caseId: string | null; seizedAt: Date }[]>`
    SELECT s.id::text AS id, s."portCode", s."caseId"::text AS "caseId", s."seizedAt"
    FROM "OperationSeizure" os JOIN "Seizure" s ON s.id = os."seizureId"
    WHERE os."operationId" = ${operationId}::uuid AND s."seizedAt" <= ${asOf}`;
  const ids = seizures.map((s) => s.id);
  const exhibits = await db.$queryRaw<{ exhibitId: string; seizureId: string; netWeightKg: number | null; released: { category: TCategory; components: { substance: string; category: string; level: string }[] }[] | null }[]>`
    SELECT e.id::text AS "exhibitId", e."seizureId"::text AS "seizureId", e."netWeightKg",
      (SELECT json_agg(json_build_object('category', c.category, 'components', c.components))
       FROM "Sample" sa
       JOIN LATERAL (SELECT r."classificationVersion" FROM "Review" r
                     WHERE r."sampleId" = sa.id AND r.decision = 'APPROVE' AND r."reviewedAt" <= ${asOf}
                     ORDER BY r."reviewedAt" DESC LIMIT 1) rv ON true
       JOIN "Classification" c ON c."sampleId" = sa.id AND c.version = rv."classificationVersion"
       WHERE sa."exhibitId" = e.id) AS released
    FROM "Exhibit" e WHERE e."seizureId" = ANY(${ids}::uuid[])`;
  const caseIds = [...new Set(seizures.map((s) => s.caseId).filter((x): x is string => !!x))];
  const arrests = await db.$queryRaw<{ jurisdiction: string; count: number }[]>`
    SELECT jurisdiction, sum(count)::int AS count FROM "Arrest"
    WHERE "caseId" = ANY(${caseIds}::uuid[]) AND at <= ${asOf} GROUP BY jurisdiction`;
  const rows: (TExhibitRow & { seizureId: string })[] = exhibits.map((e) => ({
    exhibitId: e.exhibitId,
    seizureId: e.seizureId,
    netWeightKg: e.netWeightKg,
    released: (e.released ?? []).map((r) => ({ category: r.category, substance: headlineSubstance(r.category, r.components) })),
  }));
  return { seizures, rows, arrests };
}

/** The substance that set the headline category (identified before presumptive); none when nothing controlled. */
function headlineSubstance(category: string, components: { substance: string; category: string; level: string }[]): string | null {
  if (category === 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED' || category === 'INCONCLUSIVE') return null;
  const same = components.filter((c) => c.category === category).sort((a, b) => (a.level === 'IDENTIFIED' ? 0 : 1) - (b.level === 'IDENTIFIED' ? 0 : 1));
  return same[0]?.substance ?? null;
}
