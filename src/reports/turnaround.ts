import { Prisma } from '../lib/db.ts';
import type { Db } from '../lib/db.ts';
import { SKETCH_ALPHA, TatSketch } from '../domain/tat-sketch.rules.ts';
import { exactTurnaround, round, STAGES, type TGroupBy, type TRange } from './reports.sql.ts';
import { coverage, readCells, readRaw, type TCellRow, type TRawRow } from './turnaround-rollup.ts';

/**
 * How the percentiles were computed. `exact`: percentile_cont over every duration. `sketch`: merged
 * log-bucket histograms; p50Hours and p90Hours are then within `relativeError` × the exact value
 * (before rounding to 3 decimals). Counts, means and `breached` are exact either way.
 * `fromRollup`/`fromSamples`: releases read from the rollup and straight from the samples.
 */
export type TAccuracy = { method: 'exact' | 'sketch'; relativeError: number; fromRollup: number; fromSamples: number };

type TAcc = { n: number; sum: number; breached: number; sketch: TatSketch };
const acc = (m: Map<string, TAcc>, key: string) => {
  let a = m.get(key);
  if (!a) m.set(key, (a = { n: 0, sum: 0, breached: 0, sketch: new TatSketch() }));
  return a;
};

/**
 * The turnaround report for [from, to). Periods with at most `exactMax` releases get exact
 * percentiles; longer ones merge the rollup's histograms for the whole days and months it covers
 * with histograms of the samples themselves for everything else (the partial days at either end,
 * days changed since the last refresh, days never built). One snapshot: the parts cannot disagree.
 */
export async function turnaround(db: Db, range: TRange, groupBy: TGroupBy, exactMax: number) {
  return db.$transaction(async (tx) => {
    const cov = await coverage(tx, range.from, range.to);
    const cells = await readCells(tx, cov, groupBy, range.portCode);
    const raw = await readRaw(tx, cov.raw, groupBy, range.portCode);
    const count = (rows: { dim: string; n: number }[]) => rows.reduce((n, r) => n + (r.dim === 'stage' ? 0 : r.n), 0);
    const fromRollup = count(cells);
    const fromSamples = count(raw);
    if (fromRollup + fromSamples <= exactMax) {
      return { ...(await exactTurnaround(tx, range, groupBy)), accuracy: { method: 'exact', relativeError: 0, fromRollup: 0, fromSamples: fromRollup + fromSamples } as TAccuracy };
    }
    return merged(range, groupBy, cells, raw, { method: 'sketch', relativeError: SKETCH_ALPHA, fromRollup, fromSamples });
  }, { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 120_000, maxWait: 30_000 });
}

function merged(range: TRange, groupBy: TGroupBy, cells: TCellRow[], raw: TRawRow[], accuracy: TAccuracy) {
  const groups = new Map<string, TAcc>();
  const stages = new Map<string, TAcc>();
  for (const c of cells) {
    const a = acc(c.dim === 'stage' ? stages : groups, c.key);
    a.n += c.n;
    a.sum += c.sum;
    a.breached += c.breached;
    a.sketch.addEncoded(c.sketch);
  }
  for (const r of raw) {
    const a = acc(r.dim === 'stage' ? stages : groups, r.key);
    a.n += r.n;
    a.sum += r.sum;
    a.breached += r.breached;
    a.sketch.add(r.k, r.n);
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
