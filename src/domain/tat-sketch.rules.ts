/**
 * A log-bucket histogram of durations (the DDSketch idea): bucket k holds the values in
 * (γ^(k−1), γ^k], γ = (1 + α) / (1 − α), and stands for 2γ^k / (γ + 1), which is within α × x of
 * every x in the bucket. Histograms add bucket by bucket, so a day's or a month's can be merged.
 *
 * Percentiles follow PostgreSQL's percentile_cont: rank position q × (n − 1), linear interpolation
 * between the two neighbouring values. Each neighbour is estimated within α of itself, so the result
 * is within α × |exact| whenever both neighbours have the same sign (durations are never negative in
 * practice; a zero is kept exactly in its own bucket).
 */
export const SKETCH_ALPHA = 0.005;
export const SKETCH_GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(SKETCH_GAMMA);
/** Names the histogram's definition: spans built with another definition are never read. */
export const SKETCH_METHOD = `log-buckets alpha=${SKETCH_ALPHA} varint v2`;

/** Bucket keys order like the values: negatives (mirrored), then zero, then positives. */
const ZERO_KEY = -900_000;
const NEGATIVE_BASE = -1_000_000;
const POSITIVE_MIN = -100_000;

export function bucketKey(x: number): number {
  if (x > 0) return Math.ceil(Math.log(x) / LN_GAMMA);
  if (x === 0) return ZERO_KEY;
  return NEGATIVE_BASE - Math.ceil(Math.log(-x) / LN_GAMMA);
}

/** The same key in SQL, for a double precision expression (NULL stays NULL). */
export function sqlBucketKey(expr: string): string {
  const ln = LN_GAMMA.toString();
  return `(CASE WHEN (${expr}) > 0 THEN ceil(ln(${expr}) / ${ln})::int WHEN (${expr}) = 0 THEN ${ZERO_KEY}`
    + ` WHEN (${expr}) < 0 THEN ${NEGATIVE_BASE} - ceil(ln(-(${expr})) / ${ln})::int END)`;
}

export function bucketValue(k: number): number {
  if (k === ZERO_KEY) return 0;
  if (k >= POSITIVE_MIN) return (2 * SKETCH_GAMMA ** k) / (SKETCH_GAMMA + 1);
  return -(2 * SKETCH_GAMMA ** (NEGATIVE_BASE - k)) / (SKETCH_GAMMA + 1);
}

export class TatSketch {
  readonly counts = new Map<number, number>();
  n = 0;

  add(key: number, count = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    this.n += count;
  }

  addValue(x: number): void {
    this.add(bucketKey(x));
  }

  /**
   * Adds an encoded histogram, as the rollup stores it: per bucket in ascending order, the zigzag
   * varint of the key's difference from the previous key (from 0 for the first), then the varint of
   * its count. Mostly 2–3 bytes a bucket, against 8 for two plain integers.
   */
  addEncoded(bytes: Uint8Array, start = 0, end = bytes.length): void {
    let i = start;
    let key = 0;
    const varint = () => {
      let v = 0;
      let scale = 1;
      for (;;) {
        const b = bytes[i++]!;
        v += (b & 127) * scale;
        if (b < 128) return v;
        scale *= 128;
      }
    };
    while (i < end) {
      const zz = varint();
      key += zz % 2 ? -(zz + 1) / 2 : zz / 2;
      this.add(key, varint());
    }
  }

  /** Adds histograms each preceded by its length in bytes (a varint): several spans' encodings put end to end. */
  addEncodedList(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      let len = 0;
      let scale = 1;
      for (;;) {
        const b = bytes[i++]!;
        len += (b & 127) * scale;
        if (b < 128) break;
        scale *= 128;
      }
      this.addEncoded(bytes, i, i + len);
      i += len;
    }
  }

  /** percentile_cont for each fraction in `qs` (null for an empty histogram). */
  quantiles(qs: readonly number[]): (number | null)[] {
    if (this.n === 0) return qs.map(() => null);
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const at = (rank: number) => {
      let seen = 0;
      for (const k of keys) {
        seen += this.counts.get(k)!;
        if (rank < seen) return bucketValue(k);
      }
      return bucketValue(keys[keys.length - 1]!);
    };
    return qs.map((q) => {
      const pos = q * (this.n - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const a = at(lo);
      return lo === hi ? a : a + (at(hi) - a) * (pos - lo);
    });
  }
}

/** The encoding `addEncoded` reads (the rollup writes it in SQL, fol_tat_varint). */
export function encodeSketch(s: TatSketch): Uint8Array {
  const out: number[] = [];
  const varint = (v: number) => {
    while (v >= 128) {
      out.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  let prev = 0;
  for (const k of [...s.counts.keys()].sort((a, b) => a - b)) {
    const d = k - prev;
    varint(d < 0 ? -2 * d - 1 : 2 * d);
    varint(s.counts.get(k)!);
    prev = k;
  }
  return Uint8Array.from(out);
}
