import { isValidCas } from '../domain/cas.rules.ts';
import type { TSubstance } from '../domain/reference-data.ts';
import { matchSubstance, type SubstanceIndex } from '../domain/substances.rules.ts';

/**
 * Links a library record to the substance catalogue (data/substances.json) so a hit carries the
 * catalogue's category and control: by CAS number first (when its check digit holds), then by the
 * record's name, then its synonyms — the same case- and punctuation-insensitive match the test form
 * uses. Deuterated standards and derivatives have names and CAS numbers of their own and stay unlinked.
 */
export function linkSubstance(index: SubstanceIndex, record: { name: string; synonyms: string[]; casNo: string | null }): TSubstance | null {
  if (record.casNo && isValidCas(record.casNo)) {
    const byCas = matchSubstance(index, record.casNo);
    if (byCas) return byCas;
  }
  for (const text of [record.name, ...record.synonyms]) {
    const found = matchSubstance(index, text);
    if (found) return found;
  }
  return null;
}
