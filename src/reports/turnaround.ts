import type { Db } from '../lib/db.ts';
import { SKETCH_ALPHA, TatSketch } from '../domain/tat-sketch.rules.ts';
import { exactTurnaround, round, STAGES, type TGroupBy, type TRange } from './reports.sql.ts';
import { readSketches, type TSketchRow } from './turnaround-rollup.ts';

/**
 * How the percentiles were computed. `exact`: percentile_cont over every duration. `sketch`: merged
 * log-bucket histograms; p50Hours and p90Hours are then within `relativeError` × the exact value
 * (before rounding to 3 decimals). Counts, means and `breached` are exact either way.
 * `fromRollup`/`fromSamples`: releases read from the rollup and straight from the samples.
 */
export type TAccuracy = { method: 'exact' | 'sketch'; relativeError: number; fromRollup: number; fromSamples: number };

type TAcc = { n: number; sum: number; breached: number; sketch: TatSketch };

/**
 * The turnaround report for [from, to). Periods with at most `exactMax` releases get exact
 * percentiles; longer ones merge the rollup's histograms for the whole days and months it covers
 * with histograms of the samples themselves for everything else (the partial days at either end,
 * days changed since the last refresh, days never built), all read in one statement.
 */
export async function turnaround(db: Db, range: TRange, groupBy: TGroupBy, exactMax: number) {
  const rows = await readSketches(db, range.from, range.to, groupBy, range.portCode);
  const groups = rows.filter((r) => r.dim === 'group');
  const fromRollup = groups.reduce((n, r) => n + r.fromRollup, 0);
  const fromSamples = groups.reduce((n, r) => n + r.fromSamples, 0);
  if (fromRollup + fromSamples <= exactMax) {
    const accuracy: TAccuracy = { method: 'exact', relativeError: 0, fromRollup: 0, fromSamples: fromRollup + fromSamples };
    return { ...(await exactTurnaround(db, range, groupBy)), accuracy };
  }
  return merged(range, groupBy, rows, { method: 'sketch', relativeError: SKETCH_ALPHA, fromRollup, fromSamples });
}

function merged(range: TRange, groupBy: TGroupBy, rows: TSketchRow[], accuracy: TAccuracy) {
  const groups = new Map<string, TAcc>();
  const stages = new Map<string, TAcc>();
  for (const r of rows) {
    const sketch = new TatSketch();
    sketch.addEncodedList(r.sketches);
    (r.dim === 'stage' ? stages : groups).set(r.key, { n: r.fromRollup + r.fromSamples, sum: r.sum, breached: r.breached, sketch });
  }
  const q = (a: TAcc | undefined) => a?.sketch.quantiles([0.5, 0.9]) ?? [null, null];
  return {
    from: range.from.toISOString(), to: range.to.toISOString(), groupBy, portCode: range.portCode ?? null,
    groups: [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => {
      const g = groups.get(key)!;
      const [p50, p90] = q(g);
      return { key, count: g.n, p50Hours: round(p50!), p90Hours: round(p90!), meanHours: round(g.sum / g.n), breached: g.breached };
    }),
    stages: STAGES.map((s) => {
      const a = stages.get(s.stage);
      const [p50, p90] = q(a);
      return { stage: s.stage, label: s.label, count: a?.n ?? 0, p50Hours: round(p50 ?? null), p90Hours: round(p90 ?? null) };
    }),
    accuracy,
  };
}
