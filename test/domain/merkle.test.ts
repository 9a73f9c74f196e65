import { describe, expect, it } from 'vitest';
import {
  CompactRange, consistencyRanges, EMPTY_ROOT, hashChildren, hashLeaf, inclusionRanges, rangeHash, verifyConsistency, verifyInclusion, type TNodeId,
} from '../../src/audit/merkle.ts';

// The reference tree of RFC 6962's test suite (Certificate Transparency), as republished with
// expected roots and proofs by transparency-dev/merkle (cmd/proofgen, testdata/).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: [index: number, size: number, proof: string[]][] = [
  [0, 1, []],
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
const CONSISTENCY: [size1: number, size2: number, proof: string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

const hex = (b: Buffer) => b.toString('hex');
const buf = (h: string) => Buffer.from(h, 'hex');
const leafHashes = (leaves: Buffer[]) => leaves.map(hashLeaf);

/** MTH straight from RFC 6962 §2.1, recursively: the reference the other functions are held to. */
function mth(hashes: Buffer[]): Buffer {
  if (!hashes.length) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return hashChildren(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}
const nodeOf = (hashes: Buffer[]) => (id: TNodeId) => mth(hashes.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level));
const proofOf = (ranges: { start: number; end: number }[], hashes: Buffer[]) => ranges.map((r) => rangeHash(r, nodeOf(hashes)));

describe('RFC 6962 hashing', () => {
  it.each([
    ['the empty tree', () => EMPTY_ROOT, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['an empty leaf', () => hashLeaf(Buffer.alloc(0)), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
    ['the leaf "L123456"', () => hashLeaf(Buffer.from('L123456')), '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56'],
    ['the node ("N123", "N456")', () => hashChildren(Buffer.from('N123'), Buffer.from('N456')), 'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb'],
  ])('when hashing %s, then the result is the published vector', (_, f, want) => {
    expect(hex(f())).toBe(want);
  });

  it.each(ROOTS.map((r, i) => [i + 1, r] as const))('when the reference tree has %i leaves, then the appended range gives the published root', (size, root) => {
    const range = CompactRange.empty();
    for (const h of leafHashes(LEAVES.slice(0, size))) range.append(h);
    expect(hex(range.root())).toBe(root);
    expect(hex(mth(leafHashes(LEAVES.slice(0, size))))).toBe(root);
  });
});

describe('inclusion proofs', () => {
  it.each(INCLUSION)('when leaf %i of a tree of %i is proved, then the proof is the published one and verifies', (index, size, want) => {
    const hashes = leafHashes(LEAVES);
    expect(proofOf(inclusionRanges(index, size), hashes).map(hex)).toEqual(want);
    expect(verifyInclusion(index, size, hashes[index]!, want.map(buf), buf(ROOTS[size - 1]!))).toBe(true);
  });

  it.each(INCLUSION.filter(([, , p]) => p.length))('when the proof of leaf %i in %i is corrupted in any way, then it fails', (index, size, want) => {
    const leaf = hashLeaf(LEAVES[index]!);
    const proof = want.map(buf);
    const root = buf(ROOTS[size - 1]!);
    const flip = (b: Buffer, bit: number) => Buffer.from(b.map((x, i) => (i === bit >> 3 ? x ^ (1 << (bit & 7)) : x)));
    const corrupted: [string, () => boolean][] = [
      ['wrong leaf', () => verifyInclusion(index, size, hashLeaf(Buffer.from('WrongLeaf')), proof, root)],
      ['index + 1', () => verifyInclusion(index + 1, size, leaf, proof, root)],
      ['index - 1', () => verifyInclusion(index - 1, size, leaf, proof, root)],
      ['index xor 2', () => verifyInclusion(index ^ 2, size, leaf, proof, root)],
      ['size × 2', () => verifyInclusion(index, size * 2, leaf, proof, root)],
      ['size ÷ 2', () => verifyInclusion(index, Math.floor(size / 2), leaf, proof, root)],
      ['empty root', () => verifyInclusion(index, size, leaf, proof, EMPTY_ROOT)],
      ['trailing garbage', () => verifyInclusion(index, size, leaf, [...proof, buf('00'.repeat(32))], root)],
      ['preceding garbage', () => verifyInclusion(index, size, leaf, [buf('00'.repeat(32)), ...proof], root)],
      ['removed element', () => verifyInclusion(index, size, leaf, proof.slice(1), root)],
      ...proof.map((_, i) => [`bit flipped in element ${i}`, () => verifyInclusion(index, size, leaf, proof.map((p, j) => (i === j ? flip(p, 3) : p)), root)] as [string, () => boolean]),
    ];
    for (const [what, check] of corrupted) expect(check(), what).toBe(false);
  });

  it('when every leaf of every tree up to 40 leaves is proved, then each proof verifies against MTH', () => {
    const hashes = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    for (let size = 1; size <= 40; size++) {
      const root = mth(hashes.slice(0, size));
      for (let i = 0; i < size; i++) expect(verifyInclusion(i, size, hashes[i]!, proofOf(inclusionRanges(i, size), hashes), root), `${i} in ${size}`).toBe(true);
    }
  });
});

describe('consistency proofs', () => {
  it.each(CONSISTENCY)('when the tree of %i is proved a prefix of the tree of %i, then the proof is the published one and verifies', (m, n, want) => {
    const hashes = leafHashes(LEAVES);
    if (m < n) expect(proofOf(consistencyRanges(m, n), hashes).map(hex)).toEqual(want);
    expect(verifyConsistency(m, n, want.map(buf), buf(ROOTS[m - 1]!), buf(ROOTS[n - 1]!))).toBe(true);
  });

  it.each(CONSISTENCY.filter(([m, n]) => m < n))('when the proof from %i to %i is corrupted in any way, then it fails', (m, n, want) => {
    const proof = want.map(buf);
    const [r1, r2] = [buf(ROOTS[m - 1]!), buf(ROOTS[n - 1]!)];
    const corrupted: [string, () => boolean][] = [
      ['swapped roots', () => verifyConsistency(m, n, proof, r2, r1)],
      ['wrong first root', () => verifyConsistency(m, n, proof, EMPTY_ROOT, r2)],
      ['wrong second root', () => verifyConsistency(m, n, proof, r1, EMPTY_ROOT)],
      ['size1 + 1', () => verifyConsistency(m + 1, n, proof, r1, r2)],
      ['size1 - 1', () => verifyConsistency(m - 1, n, proof, r1, r2)],
      ['size2 × 2', () => verifyConsistency(m, n * 2, proof, r1, r2)],
      ['empty proof', () => verifyConsistency(m, n, [], r1, r2)],
      ['truncated proof', () => verifyConsistency(m, n, proof.slice(0, -1), r1, r2)],
      ['trailing garbage', () => verifyConsistency(m, n, [...proof, buf('00'.repeat(32))], r1, r2)],
      ['preceding garbage', () => verifyConsistency(m, n, [buf('00'.repeat(32)), ...proof], r1, r2)],
      ['size1 greater than size2', () => verifyConsistency(n, m, proof, r2, r1)],
      ['from the empty tree', () => verifyConsistency(0, n, proof, EMPTY_ROOT, r2)],
    ];
    for (const [what, check] of corrupted) expect(check(), what).toBe(false);
  });

  it('when every pair of sizes up to 40 is proved, then each proof verifies against MTH', () => {
    const hashes = Array.from({ length: 40 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = m === n ? [] : proofOf(consistencyRanges(m, n), hashes);
        expect(verifyConsistency(m, n, proof, mth(hashes.slice(0, m)), mth(hashes.slice(0, n))), `${m} → ${n}`).toBe(true);
      }
    }
  });
});

describe('compact range', () => {
  it('when leaves are appended, then every completed perfect subtree is reported once with its hash, and resuming gives the same root', () => {
    const hashes = Array.from({ length: 37 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const range = CompactRange.empty();
    const stored = new Map<string, Buffer>();
    for (const h of hashes) for (const n of range.append(h)) stored.set(`${n.level}/${n.index}`, n.hash);
    expect(stored.size).toBe(37 - 3); // n leaves, popcount(37) = 3 edges: n − popcount inner perfect nodes
    for (const [key, hash] of stored) {
      const [level, index] = key.split('/').map(Number) as [number, number];
      expect(hex(hash), key).toBe(hex(nodeOf(hashes)({ level, index })));
    }
    const resumed = CompactRange.resume(37, [stored.get('5/0')!, stored.get('2/8')!, hashes[36]!]);
    expect(hex(resumed.root())).toBe(hex(mth(hashes)));
  });
});
