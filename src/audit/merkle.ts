import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 / RFC 9162 §2.1 (Certificate Transparency), over the audit log's
 * entries in the order they were sealed. Pure functions: storage lives in tree.repository.ts.
 * Sizes and indexes are plain numbers (exact up to 2^53 leaves).
 */

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** MTH({}) — the hash of the empty string. */
export const EMPTY_ROOT = sha256();
/** MTH({d}) = SHA-256(0x00 || d): leaves and inner nodes can never be confused (second preimages). */
export const hashLeaf = (data: Buffer) => sha256(LEAF, data);
/** SHA-256(0x01 || left || right). */
export const hashChildren = (left: Buffer, right: Buffer) => sha256(NODE, left, right);

/** Leaves [start, end) of the tree. */
export type TRange = { start: number; end: number };
/** A perfect subtree of 2^level leaves starting at leaf index·2^level: what storage keeps. */
export type TNodeId = { level: number; index: number };

/** The largest power of two strictly below n (n > 1): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 §2.1.1 PATH(m, D[n]): the ranges whose hashes prove leaf m, from its sibling up. */
export function inclusionRanges(index: number, size: number): TRange[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, start: number, end: number): TRange[] => {
    if (end - start === 1) return [];
    const k = splitPoint(end - start);
    return m < start + k ? [...path(m, start, start + k), { start: start + k, end }] : [...path(m, start + k, end), { start, end: start + k }];
  };
  return path(index, 0, size);
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]): the ranges proving the tree of m leaves is a prefix of the tree of n. */
export function consistencyRanges(m: number, n: number): TRange[] {
  if (!(m > 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const sub = (count: number, start: number, end: number, whole: boolean): TRange[] => {
    if (count === end - start) return whole ? [] : [{ start, end }];
    const k = splitPoint(end - start);
    return count <= k ? [...sub(count, start, start + k, whole), { start: start + k, end }] : [...sub(count - k, start + k, end, false), { start, end: start + k }];
  };
  return sub(m, 0, n, true);
}

/** The perfect subtrees whose hashes make up MTH(D[start:end]), following the RFC's own split. */
export function perfectPieces(r: TRange): TNodeId[] {
  const size = r.end - r.start;
  if (size < 1) throw new RangeError('empty range');
  if ((size & (size - 1)) === 0 && r.start % size === 0) return [{ level: Math.log2(size), index: r.start / size }];
  const k = splitPoint(size);
  return [...perfectPieces({ start: r.start, end: r.start + k }), ...perfectPieces({ start: r.start + k, end: r.end })];
}

/** MTH(D[start:end]) from the hashes of its perfect pieces (as `perfectPieces` lists them). */
export function rangeHash(r: TRange, node: (id: TNodeId) => Buffer): Buffer {
  const size = r.end - r.start;
  if ((size & (size - 1)) === 0 && r.start % size === 0) return node({ level: Math.log2(size), index: r.start / size });
  const k = splitPoint(size);
  return hashChildren(rangeHash({ start: r.start, end: r.start + k }, node), rangeHash({ start: r.start + k, end: r.end }, node));
}

const lsb = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2: does `proof` lead from leaf `index` to `root` in a tree of `size` leaves? */
export function verifyInclusion(index: number, size: number, leafHash: Buffer, proof: Buffer[], root: Buffer): boolean {
  if (!(index >= 0 && index < size) || leafHash.length !== 32) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0 || p.length !== 32) return false;
    if (lsb(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!lsb(fn)) while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of `size2` leaves (`root2`) an append-only extension of `root1`? */
export function verifyConsistency(size1: number, size2: number, proof: Buffer[], root1: Buffer, root2: Buffer): boolean {
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (!(size1 > 0 && size1 < size2) || proof.length === 0 || proof.some((p) => p.length !== 32)) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (lsb(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!lsb(fn)) while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

/**
 * The right edge of a growing tree (a "compact range" from 0): one perfect subtree per set bit of
 * the size, largest first. Appending a leaf merges equal neighbours like a binary counter and
 * reports every perfect subtree it completes, so the sealer can store them.
 */
export class CompactRange {
  private constructor(public size: number, private readonly edge: { level: number; hash: Buffer }[]) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** Resumes at `size` from the hashes of its perfect subtrees (`edgeIds(size)`, in that order). */
  static resume(size: number, hashes: Buffer[]): CompactRange {
    const ids = edgeIds(size);
    if (ids.length !== hashes.length) throw new Error(`a tree of ${size} leaves has ${ids.length} edge nodes, got ${hashes.length}`);
    return new CompactRange(size, ids.map((id, i) => ({ level: id.level, hash: hashes[i]! })));
  }

  append(leafHash: Buffer): (TNodeId & { hash: Buffer })[] {
    const completed: (TNodeId & { hash: Buffer })[] = [];
    let node = { level: 0, hash: leafHash };
    const position = this.size;
    while (this.edge.length && this.edge.at(-1)!.level === node.level) {
      const left = this.edge.pop()!;
      node = { level: node.level + 1, hash: hashChildren(left.hash, node.hash) };
      completed.push({ level: node.level, index: Math.floor(position / 2 ** node.level), hash: node.hash });
    }
    this.edge.push(node);
    this.size += 1;
    return completed;
  }

  root(): Buffer {
    if (!this.edge.length) return EMPTY_ROOT;
    let r = this.edge.at(-1)!.hash;
    for (let i = this.edge.length - 2; i >= 0; i--) r = hashChildren(this.edge[i]!.hash, r);
    return r;
  }
}

/** The perfect subtrees covering leaves [0, size), largest (leftmost) first. */
export function edgeIds(size: number): TNodeId[] {
  const ids: TNodeId[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level--) {
    const width = 2 ** level;
    if (start + width <= size) {
      ids.push({ level, index: start / width });
      start += width;
    }
  }
  return ids;
}
