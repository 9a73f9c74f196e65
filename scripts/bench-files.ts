/**
 * npm run bench:files -- [--sizes=1,5,25] [--runs=5]
 *
 * What storing evidence bytes in PostgreSQL costs, next to a file on local disk: for each size, store
 * random bytes as a FileBlob (the database computes and checks their SHA-256) and read them back
 * through Prisma, and write + fsync + read the same bytes as a file. Uses DATABASE_URL or a database
 * of its own on the embedded PostgreSQL; the rows it writes stay (blobs are append-only).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, fsyncSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/lib/config.ts';
import { createDb } from '../src/lib/db.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';
import { applyMigrations } from '../src/lib/migrate.ts';
import { option } from './args.ts';

const sizes = option('sizes', '1,5,25').split(',').map(Number);
const runs = Number(option('runs', '5'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const config = loadConfig();
  const log = createLogger('error');
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'postgres', log });
  if (embedded) await ensureDatabase(embedded.url, 'fol_bench_files');
  const url = config.DATABASE_URL ?? embedded!.url.replace(/\/postgres$/, '/fol_bench_files');
  await applyMigrations(url);
  const db = createDb(url, 2);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-files-'));
  console.log('size     | PostgreSQL store / read (median) | local file write+fsync / read | store MB/s');
  for (const mb of sizes) {
    const store: number[] = [];
    const read: number[] = [];
    const fsStore: number[] = [];
    const fsRead: number[] = [];
    for (let r = 0; r < runs; r++) {
      const bytes = randomBytes(Math.round(mb * 2 ** 20));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      let t = performance.now();
      await db.fileBlob.createMany({ data: [{ sha256, size: bytes.length, mediaType: 'application/octet-stream', bytes: new Uint8Array(bytes) }], skipDuplicates: true });
      store.push(performance.now() - t);
      t = performance.now();
      const back = await db.fileBlob.findUnique({ where: { sha256 } });
      read.push(performance.now() - t);
      if (back?.bytes.length !== bytes.length) throw new Error('read back a different length');
      const f = path.join(dir, sha256);
      t = performance.now();
      const fd = openSync(f, 'w');
      writeSync(fd, bytes);
      fsyncSync(fd);
      closeSync(fd);
      fsStore.push(performance.now() - t);
      t = performance.now();
      readFileSync(f);
      fsRead.push(performance.now() - t);
    }
    const [s, rd, fs1, fs2] = [store, read, fsStore, fsRead].map(median);
    console.log(`${String(mb).padStart(4)} MiB | ${s!.toFixed(0).padStart(6)} ms / ${rd!.toFixed(0).padStart(5)} ms            | ${fs1!.toFixed(0).padStart(5)} ms / ${fs2!.toFixed(0).padStart(4)} ms             | ${((mb / s!) * 1000).toFixed(0)}`);
  }
  rmSync(dir, { recursive: true, force: true });
  await db.$disconnect();
  await embedded?.stop();
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
