import { scorePair, type TPairEvidence, type TScore } from '../domain/link-scoring.rules.ts';
import type { Db } from '../lib/db.ts';
import { pillDescriptors, pillProfileCount, seizureFacts, sharedObservables, sharedProfiles, similarNames } from './candidates.repository.ts';
import type { TLinkWeights } from './weights.ts';

export type TScoredCandidate = TScore & { seizureId: string; caseId: string | null };
export type TRelatedComputation = { examined: number; scored: TScoredCandidate[] };

const DAY = 86_400_000;

/**
 * Scores every candidate of one seizure. Reads only: the caller persists. `examined` counts the
 * distinct candidate seizures the indexes brought back (what the benchmark prints).
 */
export async function computeRelated(db: Db, seizureId: string, w: TLinkWeights): Promise<TRelatedComputation> {
  const cap = w.rarity.overCorrelatedAt;
  const [self] = await seizureFacts(db, [seizureId]);
  if (!self) return { examined: 0, scored: [] };
  const [shared, profiles, names] = await Promise.all([
    sharedObservables(db, seizureId, cap),
    sharedProfiles(db, seizureId, cap),
    similarNames(db, seizureId, w.similarName.minSimilarity, cap),
  ]);

  const evidence = new Map<string, TPairEvidence>();
  const of = (id: string) => {
    let e = evidence.get(id);
    if (!e) evidence.set(id, (e = { shared: [], similarNames: [] }));
    return e;
  };
  for (const r of shared.rows) of(r.seizureId).shared.push({ kind: r.kind, value: r.normalized, seizureCount: r.n });
  for (const p of profiles) {
    const e = of(p.seizureId);
    // Several samples may share the key: keep the closest purity.
    const prev = e.chemical;
    const gap = (x: number | null) => (x === null || p.mine === null ? Infinity : Math.abs(x - p.mine));
    if (!prev || gap(p.purityPct) < gap(prev.purityB)) {
      e.chemical = { components: p.profileKey.split('+'), purityA: p.mine, purityB: p.purityPct, seizureCount: p.n };
    }
  }
  for (const n of names) of(n.seizureId).similarNames.push({ kind: n.kind, a: n.a, b: n.b, similarity: n.similarity, seizureCount: n.n });

  await addPillProfiles(db, seizureId, evidence, cap);
  const facts = new Map((await seizureFacts(db, [...evidence.keys()])).map((f) => [f.id, f]));
  const scored: TScoredCandidate[] = [];
  for (const [id, e] of evidence) {
    const other = facts.get(id);
    if (!other) continue;
    if (other.portCode === self.portCode) e.samePort = { portCode: self.portCode, days: Math.round(Math.abs(other.seizedAt.getTime() - self.seizedAt.getTime()) / DAY) };
    scored.push({ seizureId: id, caseId: other.caseId, ...scorePair(e, w) });
  }
  scored.sort((a, b) => b.score - a.score);
  return { examined: evidence.size, scored };
}

/** A shared imprint is the same tablet when colour and shape match too: then it is a pill profile. */
async function addPillProfiles(db: Db, seizureId: string, evidence: Map<string, TPairEvidence>, cap: number): Promise<void> {
  const withImprint = [...evidence.entries()].filter(([, e]) => e.shared.some((s) => s.kind === 'PILL_IMPRINT'));
  if (!withImprint.length) return;
  const rows = await pillDescriptors(db, [seizureId, ...withImprint.map(([id]) => id)]);
  const desc = (id: string, kind: string) => new Set(rows.filter((r) => r.seizureId === id && r.kind === kind).map((r) => r.normalized));
  const mineColor = desc(seizureId, 'PILL_COLOR');
  const mineShape = desc(seizureId, 'PILL_SHAPE');
  const counts = new Map<string, number>();
  for (const [id, e] of withImprint) {
    const color = [...desc(id, 'PILL_COLOR')].find((c) => mineColor.has(c));
    const shape = [...desc(id, 'PILL_SHAPE')].find((s) => mineShape.has(s));
    const imprint = e.shared.find((s) => s.kind === 'PILL_IMPRINT')!.value;
    if (!color || !shape) continue;
    const key = `${imprint}|${color}|${shape}`;
    if (!counts.has(key)) counts.set(key, await pillProfileCount(db, imprint, color, shape, cap));
    e.pill = { imprint, color, shape, seizureCount: counts.get(key)! };
  }
}
