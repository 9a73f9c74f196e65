import { isControlled, severity } from './categories.rules.ts';
import type { TCategory, TLevel, TOutcome, TTechniqueCode } from './closed-sets.ts';
import type { ReferenceData, TSubstance } from './reference-data.ts';
import { matchSubstance, type SubstanceIndex } from './substances.rules.ts';
import { evaluateThresholds, type TThresholdResult } from './thresholds.rules.ts';

/** Bump when the rules below change meaning; stored with every classification. */
export const ENGINE_VERSION = 'engine-2026.11.2';

export type { TLevel, TOutcome };

export type TTestRecord = {
  technique: TTechniqueCode;
  outcome: TOutcome;
  /** Catalogue id of the named substance, if any. */
  substanceId?: string | null;
  hits?: { substance: string; score: number }[] | null;
  /** Computed library hits: the positional isomers the search could not tell apart (issue 16). */
  isomerCandidates?: string[] | null;
  samplingId: string;
  dataRef?: string | null;
};

export type TSampleFacts = {
  form: string;
  grossWeightG: number;
  netWeightG: number | null;
  netWeightUncertaintyG: number | null;
};

export type TWarning = { code: string; message: string };

export type TComponent = {
  substance: string;
  substanceId: string;
  category: TCategory;
  schedule: string;
  level: TLevel;
  techniques: TTechniqueCode[];
  samplings: string[];
  hazard: boolean;
};

export type TClassificationResult = {
  category: TCategory;
  level: TLevel;
  components: TComponent[];
  thresholds: TThresholdResult[];
  warnings: TWarning[];
  rationale: string[];
  hazard: boolean;
  rulesVersion: string;
};

export type EngineContext = { ref: ReferenceData; index: SubstanceIndex; matchThreshold: number };

/** Substances a fentanyl test strip cross-reacts with at ≥1 mg/mL (PMC9588631). */
const FTS_CROSS_REACTANTS = new Set(['methamphetamine', 'mdma', 'diphenhydramine', 'lidocaine']);

type TEffective = { test: TTestRecord; positiveFor: TSubstance | null; inconclusive: boolean };

/** What one test says once library scores and strip semantics are applied. */
function interpret(t: TTestRecord, ctx: EngineContext, warnings: TWarning[]): TEffective {
  if (t.outcome !== 'POSITIVE') return { test: t, positiveFor: null, inconclusive: t.outcome === 'INCONCLUSIVE' };
  if (t.technique === 'FENTANYL_TEST_STRIP') {
    return { test: t, positiveFor: ctx.index.byKey.get('fentanyl') ?? null, inconclusive: false };
  }
  if (t.hits?.length) {
    const best = [...t.hits].sort((a, b) => b.score - a.score)[0]!;
    if (best.score < ctx.matchThreshold) {
      warnings.push({
        code: 'LOW_MATCH_SCORE',
        message: `${t.technique}: best library match "${best.substance}" scored ${best.score.toFixed(2)}, below the ${ctx.matchThreshold} threshold; counted as inconclusive`,
      });
      return { test: t, positiveFor: null, inconclusive: true };
    }
    const found = matchSubstance(ctx.index, best.substance);
    if (!found) {
      // A computed search can name a library compound the catalogue lacks (a new analogue): never drop it silently.
      warnings.push({
        code: 'UNCATALOGUED_MATCH',
        message: `${t.technique}: best library match "${best.substance}" is not in the substance catalogue; counted as inconclusive until the catalogue or the analyst names it`,
      });
      return { test: t, positiveFor: null, inconclusive: true };
    }
    if (t.isomerCandidates?.length) {
      warnings.push({
        code: 'ISOMER_AMBIGUOUS',
        message: `${t.technique}: the library match cannot tell apart ${t.isomerCandidates.join(', ')} (same formula, close scores); confirm the isomer against a reference standard or by another technique`,
      });
    }
    return { test: t, positiveFor: found, inconclusive: false };
  }
  const named = t.substanceId ? ctx.ref.substances.substances.find((s) => s.id === t.substanceId) ?? null : null;
  return { test: t, positiveFor: named, inconclusive: !named };
}

function techniqueInfo(ctx: EngineContext, code: TTechniqueCode) {
  const t = ctx.ref.techniques.techniques.find((x) => x.code === code);
  if (!t) throw new Error(`technique ${code} missing from the technique table`);
  return t;
}

/** SWGDRUG IIIB.3 minimum identification criteria, applied to the positive tests of one substance. */
function levelFor(positives: TTestRecord[], ctx: EngineContext): { level: TLevel; why: string } {
  // Techniques that exploit the same property (GC-MS, LC-MS, MS, HPMS: mass) count once.
  const byProperty = new Map<string, { code: TTechniqueCode; category: 'A' | 'B' | 'C' }>();
  for (const t of positives) {
    const info = techniqueInfo(ctx, t.technique);
    const prev = byProperty.get(info.property);
    if (!prev || prev.category > info.category) byProperty.set(info.property, { code: t.technique, category: info.category });
  }
  const distinct = [...byProperty.values()].sort((a, b) => a.category.localeCompare(b.category));
  const label = (xs: typeof distinct) => xs.map((x) => `${x.code} (${x.category})`).join(' + ');
  const a = distinct.find((x) => x.category === 'A');
  if (a && distinct.length >= 2) {
    return { level: 'IDENTIFIED', why: `SWGDRUG IIIB.3.1: ${label(distinct)}` };
  }
  const samplings = new Set(positives.map((t) => t.samplingId));
  const bCount = distinct.filter((x) => x.category === 'B').length;
  if (!a && distinct.length >= 3 && bCount >= 2 && samplings.size >= 2) {
    return { level: 'IDENTIFIED', why: `SWGDRUG IIIB.3.2: ${label(distinct)} over ${samplings.size} samplings` };
  }
  const short = a
    ? 'a Category A technique needs one more technique exploiting a different property (IIIB.3.1)'
    : `without Category A, IIIB.3.2 needs 3 techniques incl. 2 Category B over 2 samplings (have ${distinct.length}, ${bCount} B, ${samplings.size} sampling${samplings.size === 1 ? '' : 's'})`;
  return { level: 'PRESUMPTIVE', why: `indicated by ${label(distinct)}; ${short}` };
}

const SEVERITY = severity;
const CONTROLLED = isControlled;

/** Classifies a sample from all of its recorded tests. Pure: same tests, same answer. */
export function classify(tests: TTestRecord[], sample: TSampleFacts, ctx: EngineContext): TClassificationResult {
  const warnings: TWarning[] = [];
  const rationale: string[] = [];
  const effective = tests.map((t) => interpret(t, ctx, warnings));

  const bySubstance = new Map<string, { s: TSubstance; tests: TTestRecord[] }>();
  for (const e of effective) {
    if (!e.positiveFor) continue;
    const entry = bySubstance.get(e.positiveFor.id) ?? { s: e.positiveFor, tests: [] };
    entry.tests.push(e.test);
    bySubstance.set(e.positiveFor.id, entry);
  }

  const components: TComponent[] = [...bySubstance.values()].map(({ s, tests: pos }) => {
    const { level, why } = levelFor(pos, ctx);
    rationale.push(`${s.name}: ${level} — ${why}`);
    return {
      substance: s.name,
      substanceId: s.id,
      category: s.category,
      schedule: s.control,
      level,
      techniques: [...new Set(pos.map((t) => t.technique))],
      samplings: [...new Set(pos.map((t) => t.samplingId))],
      hazard: s.hazard,
    };
  });
  components.sort((x, y) => SEVERITY(x.category) - SEVERITY(y.category) || (x.level === 'IDENTIFIED' ? -1 : 1) - (y.level === 'IDENTIFIED' ? -1 : 1));

  let category: TCategory;
  let level: TLevel;
  const head = components[0];
  if (head) {
    category = head.category;
    level = head.level;
    rationale.unshift(`Headline ${category} (${level}) from ${head.substance}, the most serious component`);
  } else if (effective.some((e) => e.inconclusive)) {
    category = 'INCONCLUSIVE';
    level = 'NONE';
    rationale.unshift('No positive result; at least one inconclusive result: no conclusion');
  } else {
    category = 'NO_CONTROLLED_SUBSTANCE_IDENTIFIED';
    level = 'NONE';
    rationale.unshift('All results negative: no controlled substance identified (negatives rule out, never identify)');
  }

  addWarnings(tests, effective, components, sample, ctx, warnings);
  const thresholds = thresholdsFor(components, sample, ctx, warnings);
  return {
    category,
    level,
    components,
    thresholds,
    warnings,
    rationale,
    hazard: components.some((c) => c.hazard && CONTROLLED(c.category)),
    rulesVersion: [ENGINE_VERSION, ctx.ref.techniques.version, ctx.ref.substances.version, ctx.ref.thresholds.version].join('/'),
  };
}

function addWarnings(
  tests: TTestRecord[],
  effective: TEffective[],
  components: TComponent[],
  sample: TSampleFacts,
  ctx: EngineContext,
  w: TWarning[],
): void {
  const ids = new Set(components.map((c) => c.substanceId));
  if (tests.some((t) => t.technique === 'FENTANYL_TEST_STRIP' && t.outcome === 'NEGATIVE')) {
    w.push({
      code: 'FTS_NEGATIVE_NOT_EXCLUSIVE',
      message: 'A negative fentanyl test strip does not exclude fentanyl-related substances: strips miss carfentanil and furanyl fentanyl up to 1000 ng/mL',
    });
  }
  const crossReactants = [...ids].filter((id) => FTS_CROSS_REACTANTS.has(id));
  if (tests.some((t) => t.technique === 'FENTANYL_TEST_STRIP' && t.outcome === 'POSITIVE') && crossReactants.length) {
    w.push({
      code: 'FTS_CROSS_REACTIVITY',
      message: `The fentanyl strip positive may be false: ${crossReactants.join(', ')} cross-react at ≥1 mg/mL; confirm with a Category A technique`,
    });
  }
  for (const c of components) {
    if (CONTROLLED(c.category) && c.level !== 'IDENTIFIED' && c.samplings.length === 1) {
      w.push({ code: 'SINGLE_SAMPLING', message: `${c.substance}: all positive results come from one sampling (${c.samplings[0]}); identification without Category A needs two (SWGDRUG IIIB.3.2)` });
    }
  }
  const controlledIdentified = components.some((c) => CONTROLLED(c.category) && c.level === 'IDENTIFIED');
  const handheldNoMatch = effective.some((e) => techniqueInfo(ctx, e.test.technique).handheld && !e.positiveFor);
  if (handheldNoMatch && !controlledIdentified) {
    w.push({
      code: 'LOW_PURITY_NO_MATCH',
      message: `A handheld no-match on a ${sample.form.toLowerCase()} does not clear it: handheld screeners miss fentanyl at ≤10 % purity (DHS OIG-19-67). Escalate to confirmatory analysis`,
    });
  }
  if (ids.has('xylazine')) {
    w.push({ code: 'XYLAZINE_PRESENT', message: 'Xylazine present: not federally controlled, but an adulterant of concern (wounds; does not respond to naloxone)' });
  }
  // SWGDRUG IIIB: Category A and B results need reviewable data (a spectrum or chromatogram).
  const noData = effective.filter((e) => e.positiveFor && !e.test.dataRef && techniqueInfo(ctx, e.test.technique).category !== 'C');
  if (noData.length) {
    w.push({
      code: 'MISSING_REVIEWABLE_DATA',
      message: `${[...new Set(noData.map((e) => e.test.technique))].join(', ')}: positive without a data reference (spectrum/chromatogram); the reviewer cannot check it`,
    });
  }
}

function thresholdsFor(components: TComponent[], sample: TSampleFacts, ctx: EngineContext, w: TWarning[]): TThresholdResult[] {
  const classes = new Map<string, string>();
  for (const c of components) {
    const s = ctx.ref.substances.substances.find((x) => x.id === c.substanceId);
    if (s?.thresholdClass && CONTROLLED(c.category) && !classes.has(s.thresholdClass)) classes.set(s.thresholdClass, c.substance);
  }
  if (!classes.size) return [];
  const net = sample.netWeightG;
  const weight =
    net != null
      ? { weightG: net, uncertaintyG: sample.netWeightUncertaintyG ?? 0, basis: 'NET' as const }
      : { weightG: sample.grossWeightG, uncertaintyG: 0, basis: 'GROSS' as const };
  if (weight.basis === 'GROSS') {
    w.push({ code: 'GROSS_WEIGHT_USED', message: 'No net weight recorded: thresholds use the gross weight (packaging included), which overstates the drug weight' });
  }
  return [...classes].flatMap(([cls, substance]) => {
    const def = ctx.ref.thresholds.classes.find((c) => c.class === cls)!;
    return evaluateThresholds(def, substance, weight);
  });
}
