import { CATEGORIES, type TCategory } from './closed-sets.ts';

/**
 * An operation's tally, the way a press office announces it ("18 seizures, 16 federal arrests and 2
 * state arrests … over 900 pounds of fentanyl"). Pure: rows in, figures and the sentence out.
 */

/** The international avoirdupois pound is exactly 0.45359237 kg (US/Commonwealth agreement of 1959). */
export const KG_PER_LB = 0.45359237;
export const kgToLb = (kg: number) => kg / KG_PER_LB;

/** One exhibit and the released results of the samples that represent it (as of the tally's date). */
export type TExhibitRow = { exhibitId: string; netWeightKg: number | null; released: { category: TCategory; substance: string | null }[] };

export type TWeightLine = { key: string; exhibits: number; netWeightKg: number; netWeightLb: number };
export type TTally = {
  byCategory: TWeightLine[];
  bySubstance: TWeightLine[];
  pendingAnalysis: { exhibits: number; netWeightKg: number; netWeightLb: number };
  unweighedExhibits: number;
};

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const line = (key: string, exhibits: number, kg: number): TWeightLine => ({ key, exhibits, netWeightKg: r3(kg), netWeightLb: r3(kgToLb(kg)) });

/**
 * Each exhibit's weight counts once, under the most serious category among its released samples, and
 * under that category's substance; an exhibit with no released sample is pending analysis.
 */
export function tallyExhibits(rows: TExhibitRow[]): TTally {
  const cat = new Map<string, { n: number; kg: number }>();
  const sub = new Map<string, { n: number; kg: number }>();
  let pending = { n: 0, kg: 0 };
  let unweighed = 0;
  const add = (m: Map<string, { n: number; kg: number }>, k: string, kg: number) => {
    const v = m.get(k) ?? { n: 0, kg: 0 };
    m.set(k, { n: v.n + 1, kg: v.kg + kg });
  };
  for (const r of rows) {
    const kg = r.netWeightKg ?? 0;
    if (r.netWeightKg === null) unweighed++;
    const worst = [...r.released].sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category))[0];
    if (!worst) {
      pending = { n: pending.n + 1, kg: pending.kg + kg };
      continue;
    }
    add(cat, worst.category, kg);
    if (worst.substance) add(sub, worst.substance, kg);
  }
  const lines = (m: Map<string, { n: number; kg: number }>, order: (a: string, b: string) => number) =>
    [...m.entries()].sort(([a], [b]) => order(a, b)).map(([k, v]) => line(k, v.n, v.kg));
  return {
    byCategory: lines(cat, (a, b) => CATEGORIES.indexOf(a as TCategory) - CATEGORIES.indexOf(b as TCategory)),
    bySubstance: lines(sub, (a, b) => (sub.get(b)!.kg - sub.get(a)!.kg) || a.localeCompare(b)),
    pendingAnalysis: { exhibits: pending.n, netWeightKg: r3(pending.kg), netWeightLb: r3(kgToLb(pending.kg)) },
    unweighedExhibits: unweighed,
  };
}

/** Monday 00:00 UTC of the ISO 8601 week that contains `d`. */
export function weekStart(d: Date): Date {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}

const WEEK_MS = 7 * 86_400_000;
/** A tally drawn week by week spans at most five years; a longer span starts at its last 260 weeks. */
export const MAX_WEEKS = 260;

export type TWeek = { weekStart: string; seizures: number; byCategory: TWeightLine[]; pendingAnalysis: TTally['pendingAnalysis'] };

/**
 * The tally week by week (ISO weeks, Monday to Sunday, UTC) from the week of `from` to the week of
 * `to`, empty weeks included: the seizures made in each week, and their exhibits' weight under the
 * categories they are released with (or pending), as `tallyExhibits` counts them for the whole.
 */
export function tallyByWeek(seizures: { id: string; seizedAt: Date }[], rows: (TExhibitRow & { seizureId: string })[], from: Date, to: Date): TWeek[] {
  if (to < from) return [];
  const last = weekStart(to).getTime();
  const first = Math.max(weekStart(from).getTime(), last - (MAX_WEEKS - 1) * WEEK_MS);
  const weekOf = new Map(seizures.map((s) => [s.id, weekStart(s.seizedAt).getTime()]));
  const weeks: TWeek[] = [];
  for (let w = first; w <= last; w += WEEK_MS) {
    const ids = new Set(seizures.filter((s) => weekOf.get(s.id) === w).map((s) => s.id));
    const t = tallyExhibits(rows.filter((r) => ids.has(r.seizureId)));
    weeks.push({ weekStart: new Date(w).toISOString().slice(0, 10), seizures: ids.size, byCategory: t.byCategory, pendingAnalysis: t.pendingAnalysis });
  }
  return weeks;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const list = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
const longDate = (d: Date) => `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;

/** Whole pounds as a press release prints them; under ten, one decimal. */
export function pounds(lb: number): string {
  const v = lb < 10 ? Math.round(lb * 10) / 10 : Math.round(lb);
  return `${v.toLocaleString('en-US')} ${v === 1 ? 'pound' : 'pounds'}`;
}

/** The sentence a press office would print. */
export function pressSentence(op: { name: string; startsOn: Date; endsOn: Date | null }, asOf: Date, seizures: number, arrests: { jurisdiction: string; count: number }[], t: TTally): string {
  const name = /^operation\b/i.test(op.name) ? op.name : `Operation ${op.name}`;
  const ended = op.endsOn && op.endsOn.getTime() + 86_400_000 <= asOf.getTime();
  const opening = ended
    ? `From its launch on ${longDate(op.startsOn)} to its close on ${longDate(op.endsOn!)}, ${name} led to`
    : `Since its launch on ${longDate(op.startsOn)}, ${name} has led to`;
  const counts = [plural(seizures, 'seizure'), ...arrests.filter((a) => a.count > 0).map((a) => plural(a.count, `${a.jurisdiction.toLowerCase()} arrest`))];
  const weights = t.bySubstance.filter((s) => s.netWeightLb > 0).map((s) => `${pounds(s.netWeightLb)} of ${s.key}`);
  let s = `${opening} ${list(counts)}`;
  if (weights.length) s += `, and the seizure of ${list(weights)}`;
  s += '.';
  if (t.pendingAnalysis.exhibits) s += ` A further ${pounds(t.pendingAnalysis.netWeightLb)} ${t.pendingAnalysis.exhibits === 1 ? 'is' : 'are'} awaiting laboratory analysis.`;
  return s;
}
