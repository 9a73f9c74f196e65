import { createHash } from 'node:crypto';
import { chownSync, createReadStream, createWriteStream, existsSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TManifestFile } from './manifest.ts';

/** Copies one file, hashing what it writes in the same pass; null when the file vanished meanwhile. */
export async function copyHashed(from: string, to: string, mode: number): Promise<{ bytes: number; sha256: string } | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(from), tap, createWriteStream(to, { mode }));
  } catch (err) {
    // A database file dropped during the copy (a table dropped, a temporary relation) needs no copy.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export type TWalkEntry = { rel: string; abs: string; stat: Stats };

/** Every entry under `root` (depth first), skipping what `skip` refuses (a folder skipped is not entered). */
export function walk(root: string, skip: (rel: string, stat: Stats) => boolean, rel = ''): TWalkEntry[] {
  const out: TWalkEntry[] = [];
  const dir = path.join(root, rel);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const name of names) {
    const r = rel ? path.join(rel, name) : name;
    let stat: Stats;
    try {
      stat = lstatSync(path.join(root, r));
    } catch {
      continue;
    }
    if (skip(r, stat)) continue;
    out.push({ rel: r, abs: path.join(root, r), stat });
    if (stat.isDirectory()) out.push(...walk(root, skip, r));
  }
  return out;
}

/**
 * Copies the regular files and folders of `entries` under `toRoot`, recording each file under
 * `prefix` in the manifest's terms. Symbolic links and sockets are refused by the caller's `skip`.
 */
export async function copyTree(entries: TWalkEntry[], toRoot: string, prefix: string, files: TManifestFile[]): Promise<void> {
  mkdirSync(toRoot, { recursive: true, mode: 0o700 });
  for (const e of entries) {
    const to = path.join(toRoot, e.rel);
    if (e.stat.isDirectory()) {
      mkdirSync(to, { recursive: true, mode: 0o700 });
      continue;
    }
    if (!e.stat.isFile()) continue;
    const copied = await copyHashed(e.abs, to, 0o600);
    if (copied) files.push({ path: path.join(prefix, e.rel), bytes: copied.bytes, sha256: copied.sha256, mode: e.stat.mode & 0o777 });
  }
}

/** Hands a restored folder to the account that will run PostgreSQL on it (as root). */
export function chownTree(dir: string, account: { uid: number; gid: number } | undefined): void {
  if (!account || !existsSync(dir)) return;
  chownSync(dir, account.uid, account.gid);
  for (const e of walk(dir, () => false)) chownSync(e.abs, account.uid, account.gid);
}
