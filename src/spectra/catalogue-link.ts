import { isValidCas } from '../domain/cas.rules.ts';
import type { TSubstance } from '../domain/reference-data.ts';
import { matchSubstance, normalizeName, type SubstanceIndex } from '../domain/substances.rules.ts';

/**
 * Links a library record to the substance catalogue (data/substances.json) so a hit carries the
 * catalogue's category and control. A valid CAS number decides alone: SWGDRUG's "NiPP"
 * (N-isopropylpentedrone, a cathinone) lists the synonym "NPP", which is also the fentanyl precursor's
 * abbreviation, and its own CAS number keeps it apart. Without a CAS number, the record's name, then
 * its synonyms (short abbreviations excepted, for the same reason) — and only when they all point to
 * one catalogue entry. Deuterated standards and derivatives stay unlinked: their names differ.
 */
export function linkSubstance(index: SubstanceIndex, record: { name: string; synonyms: string[]; casNo: string | null }): TSubstance | null {
  if (record.casNo && isValidCas(record.casNo)) return matchSubstance(index, record.casNo);
  const texts = [record.name, ...record.synonyms.filter((s) => normalizeName(s).length > 5)];
  const found = new Map(texts.map((t) => matchSubstance(index, t)).filter((s): s is TSubstance => !!s).map((s) => [s.id, s]));
  return found.size === 1 ? [...found.values()][0]! : null;
}
