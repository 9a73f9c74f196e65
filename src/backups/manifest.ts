import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS';

const ZFile = z.object({ path: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), mode: z.number().int() });

/** What a backup holds and how to check it; `files` names every file but the manifest and SHA256SUMS. */
export const ZManifest = z.object({
  format: z.literal('fol-triage-backup/1'),
  id: z.uuid(),
  createdAt: z.string(),
  /** The application database inside the cluster. */
  database: z.string(),
  postgres: z.object({ majorVersion: z.string(), systemIdentifier: z.string(), startLsn: z.string(), stopLsn: z.string(), walSegments: z.array(z.string()) }),
  /** The audit trail's head as read before the copy began: a restored copy must still hold it. */
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  /** Folders of files kept beside the database (checkpoints, keys), by name: `files/<name>/…` in the backup. */
  fileSets: z.array(z.object({ name: z.string(), source: z.string() })),
  files: z.array(ZFile),
  bytes: z.number().int().nonnegative(),
});
export type TManifest = z.infer<typeof ZManifest>;
export type TManifestFile = z.infer<typeof ZFile>;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes manifest.json and SHA256SUMS (the `sha256sum -c` format, so the backup checks without this program). */
export function writeManifest(dir: string, manifest: TManifest): string {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(path.join(dir, MANIFEST), text, { mode: 0o600 });
  const lines = manifest.files.map((f) => `${f.sha256}  ${f.path}`);
  lines.push(`${sha256Hex(text)}  ${MANIFEST}`);
  writeFileSync(path.join(dir, SUMS), `${lines.join('\n')}\n`, { mode: 0o600 });
  return sha256Hex(text);
}

export function readManifest(dir: string): { manifest: TManifest; sha256: string } {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) throw new Error(`${dir} holds no ${MANIFEST}: not a fol-triage backup`);
  const text = readFileSync(file, 'utf8');
  return { manifest: ZManifest.parse(JSON.parse(text)), sha256: sha256Hex(text) };
}

export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Re-reads every file and compares it with the manifest: a missing, truncated or changed file (a bad
 * disk, a careless copy) is named. The manifest itself is checked against SHA256SUMS.
 */
export async function checkSums(dir: string): Promise<{ manifest: TManifest; sha256: string }> {
  const read = readManifest(dir);
  const sums = existsSync(path.join(dir, SUMS)) ? readFileSync(path.join(dir, SUMS), 'utf8') : '';
  if (!sums.includes(`${read.sha256}  ${MANIFEST}`)) throw new Error(`${MANIFEST} does not match ${SUMS}`);
  for (const f of read.manifest.files) {
    const file = path.join(dir, f.path);
    if (!existsSync(file)) throw new Error(`${f.path} is missing from the backup`);
    if ((await hashFile(file)) !== f.sha256) throw new Error(`${f.path} differs from its SHA-256 in the manifest`);
  }
  return read;
}
