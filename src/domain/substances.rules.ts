import type { TSubstance } from './reference-data.ts';

/** Case- and punctuation-insensitive key: "Fentanyl HCl", "fentanyl-hcl" and "FENTANYL HCL" match. */
export function normalizeName(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]/g, '');
}

export type SubstanceIndex = { byKey: Map<string, TSubstance>; all: TSubstance[] };

export function buildSubstanceIndex(substances: TSubstance[]): SubstanceIndex {
  const byKey = new Map<string, TSubstance>();
  for (const s of substances) {
    for (const key of [s.id, s.name, ...s.synonyms, ...(s.cas ? [s.cas] : [])].map(normalizeName)) {
      const other = byKey.get(key);
      if (other && other.id !== s.id) throw new Error(`substance name "${key}" is ambiguous: ${other.id} and ${s.id}`);
      byKey.set(key, s);
    }
  }
  return { byKey, all: substances };
}

/** Exact match on id, name, synonym or CAS; null when the text names nothing in the catalogue. */
export function matchSubstance(index: SubstanceIndex, text: string): TSubstance | null {
  return index.byKey.get(normalizeName(text)) ?? null;
}

/** Catalogue search for pickers: substring match over every name, best (prefix) matches first. */
export function searchSubstances(index: SubstanceIndex, q: string | undefined): TSubstance[] {
  const key = normalizeName(q ?? '');
  if (!key) return index.all;
  const scored = index.all
    .map((s) => {
      const keys = [s.name, ...s.synonyms, ...(s.cas ? [s.cas] : [])].map(normalizeName);
      const score = keys.some((k) => k === key) ? 0 : keys.some((k) => k.startsWith(key)) ? 1 : keys.some((k) => k.includes(key)) ? 2 : 3;
      return { s, score };
    })
    .filter((x) => x.score < 3);
  return scored.sort((a, b) => a.score - b.score || a.s.name.localeCompare(b.s.name)).map((x) => x.s);
}
