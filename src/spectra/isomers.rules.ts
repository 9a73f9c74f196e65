/**
 * Electron-ionisation spectra of positional isomers (ortho-, meta-, para-methyl acetyl fentanyl;
 * 2-, 3-, 4-fluoro analogues) are often near-identical: a library search cannot tell them apart, and
 * the analyst must (retention time against a reference standard, or another technique). The search
 * says so when a hit of a different compound with the same formula scores within this margin of the
 * best one. Same first InChIKey block = same connectivity (e.g. d- and l- forms): not an isomer here.
 * The margin is measured, not guessed: searching SWGDRUG 3.4 with ortho-, meta- and para-methyl acetyl
 * fentanyl's own library spectra, the other two isomers still score 82–86 below the best; at 100,
 * 254 of the 2,988 self-searches are flagged (README, "Spectral library matching").
 */
export const ISOMER_MARGIN = 100;

type THitFacts = { name: string; formula: string | null; inchiKey: string | null; matchFactor: number };

const skeleton = (h: THitFacts) => h.inchiKey?.split('-')[0] ?? h.name.toLowerCase();
const formulaKey = (f: string | null) => f?.replace(/\s/g, '').toUpperCase() || null;

export function isomerAmbiguity(hits: THitFacts[]): { isomerAmbiguous: boolean; isomerCandidates: string[] } {
  const [best, ...rest] = hits;
  const formula = best ? formulaKey(best.formula) : null;
  if (!best || !formula) return { isomerAmbiguous: false, isomerCandidates: [] };
  const close = rest.filter((h) => formulaKey(h.formula) === formula && skeleton(h) !== skeleton(best) && best.matchFactor - h.matchFactor <= ISOMER_MARGIN);
  const names = [...new Set([best, ...close].map((h) => h.name))];
  return close.length ? { isomerAmbiguous: true, isomerCandidates: names } : { isomerAmbiguous: false, isomerCandidates: [] };
}
