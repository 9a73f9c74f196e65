import type { Db } from '../lib/db.ts';
import { parseCheckpoint, readCheckpointFile, type TCheckpoint } from './checkpoint-file.ts';
import type { TNoteKey } from './signed-note.ts';

export type TProblemKind = 'missing' | 'changed' | 'unlinked' | 'order' | 'leaf' | 'checkpoint' | 'truncated' | 'signature' | 'head' | 'unsealed';
export type TProblem = { kind: TProblemKind; seq: number | null; checkpoint?: number; message: string };

export type TCheckpointSet = { checkpoints: TCheckpoint[]; problems: TProblem[]; signaturesChecked: boolean; fromFile: number };

/**
 * Every checkpoint that `key` signed, from the checkpoint file (the copy kept outside the system)
 * and from the database, by number. A line or row whose signature does not verify is a problem, and
 * so are two different checkpoints under one number (the log would have shown two histories).
 * Without a key nothing is trusted: no checkpoint is used, and the report says so.
 */
export async function loadCheckpoints(db: Db | null, key: TNoteKey | null, file: string | null): Promise<TCheckpointSet> {
  if (!key) return { checkpoints: [], problems: [], signaturesChecked: false, fromFile: 0 };
  const problems: TProblem[] = [];
  const byNumber = new Map<number, TCheckpoint>();
  const add = (c: TCheckpoint) => {
    const seen = byNumber.get(c.number);
    if (seen && (seen.treeSize !== c.treeSize || seen.rootHash !== c.rootHash)) {
      problems.push({ kind: 'checkpoint', seq: null, checkpoint: c.number, message: `two different checkpoints ${c.number} are signed (${seen.treeSize} and ${c.treeSize} entries)` });
    }
    byNumber.set(c.number, seen ?? c);
  };
  let fromFile = 0;
  for (const line of file ? readCheckpointFile(file) : []) {
    const c = line.note ? parseCheckpoint(line.note, key) : null;
    if (!c) problems.push({ kind: 'signature', seq: null, checkpoint: line.number ?? undefined, message: `line ${line.line} of the checkpoint file is not a checkpoint signed by ${key.name}` });
    else {
      fromFile += 1;
      add(c);
    }
  }
  for (const row of db ? await db.auditCheckpoint.findMany({ orderBy: { number: 'asc' } }) : []) {
    const c = parseCheckpoint(row.note, key);
    if (!c || c.number !== row.number) problems.push({ kind: 'signature', seq: null, checkpoint: row.number, message: `checkpoint ${row.number} in the database is not signed by ${key.name}` });
    else add(c);
  }
  return { checkpoints: [...byNumber.values()].sort((a, b) => a.number - b.number), problems, signaturesChecked: true, fromFile };
}
