import type { TLinkWeights } from '../intelligence/weights.ts';
import { DESCRIPTIVE_KINDS, type TObservableKind } from './closed-sets.ts';

/**
 * Related-seizure scoring: what two seizures share, weighed by how telling it is and by how rare the
 * shared value is across the whole database. Pure: the same evidence and weights give the same score.
 */
export type TReason = {
  kind: string;
  detail: string;
  weight: number;
  strength: string;
  /** The detail as each side may read it (subject, candidate) when the full detail names the other side's values. */
  sides?: [string, string];
};

/** What two seizures share. `seizureCount`: on how many seizures in the database the value occurs. */
export type TPairEvidence = {
  shared: { kind: TObservableKind; value: string; seizureCount: number }[];
  /** Same imprint, colour and shape; `seizureCount` counts seizures with all three. */
  pill?: { imprint: string; color: string; shape: string; seizureCount: number };
  chemical?: { components: string[]; purityA: number | null; purityB: number | null; seizureCount: number };
  similarNames: { kind: TObservableKind; a: string; b: string; similarity: number; seizureCount: number }[];
  /** Same port, seized this many days apart. */
  samePort?: { portCode: string; days: number };
};

export type TScore = { score: number; reasons: TReason[]; overCorrelated: string[] };

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Rarity factor of a value seen on `n` seizures: full weight up to `fullWeightUpTo`, none from
 * `overCorrelatedAt` (MISP keeps such values out of correlation), falling logarithmically between.
 */
export function rarityFactor(n: number, w: TLinkWeights['rarity']): number {
  if (n <= w.fullWeightUpTo) return 1;
  if (n >= w.overCorrelatedAt) return 0;
  return Math.log(w.overCorrelatedAt / n) / Math.log(w.overCorrelatedAt / w.fullWeightUpTo);
}

const seen = (n: number) => `on ${n} seizure${n === 1 ? '' : 's'}`;

/** Scores one pair. Reasons combine as 1 − Π(1 − w); context counts only beside another reason. */
export function scorePair(e: TPairEvidence, w: TLinkWeights): TScore {
  const reasons: TReason[] = [];
  const overCorrelated: string[] = [];
  const add = (kind: string, detail: string, base: number, strength: string, count: number, sides?: [string, string]) => {
    const factor = rarityFactor(count, w.rarity);
    if (factor === 0) overCorrelated.push(`${kind} ${detail}`);
    else reasons.push({ kind, detail: `${detail} (${seen(count)})`, weight: round(base * factor), strength, ...(sides ? { sides } : {}) });
  };

  // A pill profile subsumes its imprint: one reason, not two for the same tablets.
  const pillImprint = e.pill?.imprint;
  for (const s of e.shared) {
    if ((DESCRIPTIVE_KINDS as readonly string[]).includes(s.kind)) continue; // describe tablets, identify nothing alone
    if (s.kind === 'PILL_IMPRINT' && s.value === pillImprint) continue;
    const rule = w.identifiers[s.kind];
    if (rule) add(s.kind, `${s.kind.toLowerCase().replaceAll('_', ' ')} ${s.value}`, rule.weight, rule.strength, s.seizureCount);
  }
  if (e.pill) {
    add('PILL_PROFILE', `tablets imprinted ${e.pill.imprint}, ${e.pill.color}, ${e.pill.shape}`, w.pillProfile.weight, w.pillProfile.strength, e.pill.seizureCount);
  }
  if (e.chemical) {
    const c = w.chemicalProfile;
    const { purityA: a, purityB: b } = e.chemical;
    const both = a !== null && b !== null;
    // Purities outside the band point to different batches: the shared recipe alone is not enough.
    if (!both || Math.abs(a - b) <= c.purityBandPct) {
      const what = `same components ${e.chemical.components.join(' + ')}`;
      const purity = both ? `, purity ${a} % and ${b} % (within ${c.purityBandPct} points)` : ', purity not measured on both';
      const side = (own: number | null) => `${what}${both ? `, purity within ${c.purityBandPct} points of your ${own} %` : ''}`;
      add('CHEMICAL_PROFILE', `${what}${purity}`, both ? c.weight : c.weight * c.withoutPurityFactor, c.strength, e.chemical.seizureCount, [side(a), side(b)]);
    }
  }
  for (const n of e.similarNames) {
    if (n.similarity < w.similarName.minSimilarity) continue;
    const sim = `similarity ${n.similarity.toFixed(2)}`;
    const side = (own: string) => `${n.kind.toLowerCase()} "${own}" on your seizure resembles one on theirs (${sim})`;
    add('SIMILAR_NAME', `${n.kind.toLowerCase()} "${n.a}" ~ "${n.b}" (${sim})`, w.similarName.weight * n.similarity, w.similarName.strength, n.seizureCount, [side(n.a), side(n.b)]);
  }

  let rest = reasons.reduce((p, r) => p * (1 - r.weight), 1);
  if (reasons.length && e.samePort && e.samePort.days <= w.samePort.withinDays) {
    const ctx = { kind: 'SAME_PORT', detail: `both at port ${e.samePort.portCode}, ${e.samePort.days} day${e.samePort.days === 1 ? '' : 's'} apart`, weight: w.samePort.weight, strength: w.samePort.strength };
    reasons.push(ctx);
    rest *= 1 - ctx.weight;
  }
  reasons.sort((x, y) => y.weight - x.weight);
  return { score: reasons.length ? round(1 - rest) : 0, reasons, overCorrelated };
}

/** Headline chemical profile key: the sorted controlled components and adulterants (cutting agents are too common to tell). */
export function profileKeyOf(controlled: string[], adulterants: string[]): string | null {
  const parts = [...new Set([...controlled, ...adulterants])].sort();
  return parts.length ? parts.join('+') : null;
}
