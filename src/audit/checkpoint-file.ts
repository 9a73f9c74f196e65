import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { openNote, type TNoteKey } from './signed-note.ts';

/** A signed checkpoint: the log's size and root hash at a time, as the note states them. */
export type TCheckpoint = { number: number; treeSize: number; rootHash: string; time: string; origin: string; note: string };

/**
 * The note text (C2SP tlog-checkpoint): origin, tree size, base64 root hash, then two extension
 * lines — the checkpoint's number and its time — which the signature covers too.
 */
export function checkpointText(c: Omit<TCheckpoint, 'note'>): string {
  return `${c.origin}\n${c.treeSize}\n${Buffer.from(c.rootHash, 'hex').toString('base64')}\ncheckpoint ${c.number}\ntime ${c.time}\n`;
}

/** The checkpoint a note states, if `key` signed it and it is well formed; else null. */
export function parseCheckpoint(note: string, key: TNoteKey): TCheckpoint | null {
  const text = openNote(note, key);
  const m = text?.match(/^([^\n]+)\n(0|[1-9]\d*)\n([A-Za-z0-9+/]{43}=)\ncheckpoint ([1-9]\d*)\ntime (\d{4}-\d\d-\d\dT[\d:.]+Z)\n$/);
  if (!m) return null;
  return { origin: m[1]!, treeSize: Number(m[2]), rootHash: Buffer.from(m[3]!, 'base64').toString('hex'), number: Number(m[4]), time: m[5]!, note };
}

export type TFileLine = { line: number; note: string | null; number: number | null };

/** The checkpoint file's lines (JSON objects with at least `note`); unreadable lines come back with note null. */
export function readCheckpointFile(file: string): TFileLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
    try {
      const o = JSON.parse(l) as { note?: unknown; number?: unknown };
      return { line: i + 1, note: typeof o.note === 'string' ? o.note : null, number: typeof o.number === 'number' ? o.number : null };
    } catch {
      return { line: i + 1, note: null, number: null };
    }
  });
}

/** The file's last line (number and note), reading only its tail: the file grows by a line a minute. */
export function lastInFile(file: string): { number: number | null; note: string | null } | null {
  if (!existsSync(file)) return null;
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    const last = buf.toString('utf8').trimEnd().split('\n').at(-1) ?? '';
    if (!last) return null;
    try {
      const o = JSON.parse(last) as { number?: unknown; note?: unknown };
      return { number: typeof o.number === 'number' ? o.number : null, note: typeof o.note === 'string' ? o.note : null };
    } catch {
      return { number: null, note: null };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends checkpoints to the file, each a JSON line, and flushes it to disk. The service only ever
 * appends; keep a copy elsewhere too (mail it, print it, or point AUDIT_CHECKPOINT_FILE at WORM
 * storage) — the copy outside the system is what makes a rewrite of history show.
 */
export function appendCheckpoints(file: string, checkpoints: TCheckpoint[]): void {
  if (!checkpoints.length) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a', 0o644);
  try {
    for (const c of checkpoints) {
      writeSync(fd, `${JSON.stringify({ number: c.number, treeSize: c.treeSize, rootHash: c.rootHash, time: c.time, note: c.note })}\n`);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
