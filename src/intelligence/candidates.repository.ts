import { Prisma, type Db, type Tx } from '../lib/db.ts';
import { DESCRIPTIVE_KINDS, NAME_KINDS, type TObservableKind } from '../domain/closed-sets.ts';

/**
 * Candidate seizures for one seizure, found only through indexes: exact observable values
 * (kind, normalized), chemical profile keys, and trigram similarity of names (pg_trgm GIN). A value
 * seen on `cap` seizures or more is over-correlating: it is counted (bounded by LIMIT) but brings no
 * candidates, so a thousand "M 30" seizures are never fetched.
 */
type TSharedRow = { kind: TObservableKind; normalized: string; n: number; seizureId: string };
type TProfileRow = { profileKey: string; n: number; seizureId: string; purityPct: number | null; mine: number | null };
type TNameRow = { kind: TObservableKind; a: string; b: string; seizureId: string; similarity: number; n: number };
export type TCandidateFacts = { id: string; portCode: string; seizedAt: Date; caseId: string | null };

/** Kinds that describe rather than identify: never used to find candidates, only to confirm a pill profile. */
const DESCRIPTIVE: readonly string[] = DESCRIPTIVE_KINDS;

export async function sharedObservables(db: Db | Tx, seizureId: string, cap: number): Promise<{ rows: TSharedRow[]; counts: Map<string, number> }> {
  const counted = await db.$queryRaw<{ kind: TObservableKind; normalized: string; n: number }[]>`
    SELECT m.kind, m.normalized,
      (SELECT count(*) FROM (SELECT 1 FROM "Observable" o WHERE o.kind = m.kind AND o.normalized = m.normalized LIMIT ${cap}) x)::int AS n
    FROM "Observable" m WHERE m."seizureId" = ${seizureId}::uuid`;
  const counts = new Map(counted.map((c) => [`${c.kind}|${c.normalized}`, c.n]));
  const wanted = counted.filter((c) => c.n < cap && c.n > 1 && !DESCRIPTIVE.includes(c.kind));
  if (!wanted.length) return { rows: [], counts };
  const rows = await db.$queryRaw<TSharedRow[]>`
    SELECT o.kind, o.normalized, w.n, o."seizureId"::text AS "seizureId"
    FROM unnest(${wanted.map((w) => w.kind)}::text[], ${wanted.map((w) => w.normalized)}::text[], ${wanted.map((w) => w.n)}::int[]) AS w(kind, normalized, n)
    JOIN "Observable" o ON o.kind = w.kind AND o.normalized = w.normalized
    WHERE o."seizureId" <> ${seizureId}::uuid`;
  return { rows, counts };
}

/** The pill descriptors (colour, shape) of the given seizures, to confirm a shared imprint is the same tablet. */
export async function pillDescriptors(db: Db | Tx, seizureIds: string[]) {
  if (!seizureIds.length) return [];
  return db.$queryRaw<{ seizureId: string; kind: string; normalized: string }[]>`
    SELECT "seizureId"::text AS "seizureId", kind, normalized FROM "Observable"
    WHERE "seizureId" = ANY(${seizureIds}::uuid[]) AND kind = ANY(${['PILL_IMPRINT', ...DESCRIPTIVE_KINDS]}::text[])`;
}

/** On how many seizures (up to `cap`) imprint, colour and shape occur together. */
export async function pillProfileCount(db: Db | Tx, imprint: string, color: string, shape: string, cap: number): Promise<number> {
  const [r] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM "Observable" a
      JOIN "Observable" b ON b."seizureId" = a."seizureId" AND b.kind = 'PILL_COLOR' AND b.normalized = ${color}
      JOIN "Observable" c ON c."seizureId" = a."seizureId" AND c.kind = 'PILL_SHAPE' AND c.normalized = ${shape}
      WHERE a.kind = 'PILL_IMPRINT' AND a.normalized = ${imprint} LIMIT ${cap}) x`;
  return r?.n ?? 0;
}

export async function sharedProfiles(db: Db | Tx, seizureId: string, cap: number): Promise<TProfileRow[]> {
  return db.$queryRaw<TProfileRow[]>`
    WITH mine AS (
      SELECT "profileKey", max("purityPct") AS mine FROM "ChemicalProfile" WHERE "seizureId" = ${seizureId}::uuid GROUP BY "profileKey"),
    counted AS (
      SELECT m."profileKey", m.mine,
        (SELECT count(DISTINCT x."seizureId") FROM (SELECT p."seizureId" FROM "ChemicalProfile" p WHERE p."profileKey" = m."profileKey" LIMIT ${cap * 4}) x)::int AS n
      FROM mine m)
    SELECT c."profileKey", c.n, c.mine, p."seizureId"::text AS "seizureId", p."purityPct"
    FROM counted c JOIN "ChemicalProfile" p ON p."profileKey" = c."profileKey" AND p."seizureId" <> ${seizureId}::uuid
    WHERE c.n < ${cap}`;
}

/** Names within trigram similarity `min` (but not equal: equal names are shared observables). */
export async function similarNames(db: Db, seizureId: string, min: number, cap: number): Promise<TNameRow[]> {
  return db.$transaction(async (tx) => {
    // The % operator finds names through the GIN trigram index; its threshold is set for this
    // transaction only. Plain index scans are turned off here too: with a LIMIT the planner would
    // rather walk the btree on (kind, normalized) and test every name (measured: ~0.5 s at 100,000
    // seizures, against ~20 ms through the trigram index).
    await tx.$executeRaw`SELECT set_config('pg_trgm.similarity_threshold', ${String(min)}, true), set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true)`;
    return tx.$queryRaw<TNameRow[]>`
      SELECT m.kind, m.normalized AS a, o.normalized AS b, o."seizureId"::text AS "seizureId",
             similarity(m.normalized, o.normalized)::float8 AS similarity,
             (SELECT count(*) FROM (SELECT 1 FROM "Observable" z WHERE z.kind = m.kind AND z.normalized = o.normalized LIMIT ${cap}) x)::int AS n
      FROM "Observable" m
      JOIN LATERAL (
        SELECT o.normalized, o."seizureId" FROM "Observable" o
        WHERE o.kind IN (${NAME_KINDS_SQL}) AND o.kind = m.kind AND o.normalized % m.normalized
          AND o.normalized <> m.normalized AND o."seizureId" <> ${seizureId}::uuid
        LIMIT ${NAME_LIMIT}) o ON true
      WHERE m."seizureId" = ${seizureId}::uuid AND m.kind IN (${NAME_KINDS_SQL})`;
  });
}

/** Similar names examined per name of the seizure: a weak reason needs no more to be found. */
const NAME_LIMIT = 20;

/**
 * The name kinds as SQL literals, written into the query rather than bound: the planner uses the
 * partial trigram index only when the query repeats its predicate (the name kinds, spelled out) literally.
 */
const NAME_KINDS_SQL = Prisma.raw(NAME_KINDS.map((k) => `'${k}'`).join(', '));

export async function seizureFacts(db: Db | Tx, ids: string[]): Promise<TCandidateFacts[]> {
  if (!ids.length) return [];
  return db.$queryRaw<TCandidateFacts[]>`
    SELECT id::text AS id, "portCode", "seizedAt", "caseId"::text AS "caseId" FROM "Seizure" WHERE id = ANY(${ids}::uuid[])`;
}
