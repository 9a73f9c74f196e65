/**
 * npm run audit:anchor                 → verifies the chain and prints its head as JSON (keep a copy
 *                                        outside this system: print it, mail it, store it elsewhere)
 * npm run audit:anchor -- --check F    → verifies the chain and that it still contains the anchor in F
 *
 * The hash chain shows a changed or deleted entry, but someone with database rights could rewrite
 * the whole chain consistently. An anchor kept elsewhere catches that: the entry at the anchored
 * sequence number must still carry the anchored hash. Uses DATABASE_URL, or the embedded database.
 */
import { readFileSync } from 'node:fs';
import { verifyAuditChain } from '../src/audit/verify.ts';
import { loadConfig } from '../src/lib/config.ts';
import { createDb } from '../src/lib/db.ts';
import { startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';

async function main() {
  const config = loadConfig();
  const log = createLogger('error');
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'fol', log });
  const db = createDb(config.DATABASE_URL ?? embedded!.url);
  let code = 0;
  try {
    const result = await verifyAuditChain(db);
    const checkFile = process.argv.includes('--check') ? process.argv[process.argv.indexOf('--check') + 1] : undefined;
    if (checkFile) {
      const anchor = JSON.parse(readFileSync(checkFile, 'utf8')) as { seq: number; hash: string };
      const row = await db.auditEntry.findUnique({ where: { seq: BigInt(anchor.seq) } });
      const matches = row?.hash === anchor.hash;
      console.log(JSON.stringify({ chain: result, anchor, anchorMatches: matches }, null, 2));
      code = result.ok && matches ? 0 : 2;
    } else {
      console.log(JSON.stringify({ lab: config.LAB_NAME, exportedAt: new Date().toISOString(), ...(result.head ?? { seq: 0, hash: null }), chainOk: result.ok, firstBadSeq: result.firstBadSeq }, null, 2));
      code = result.ok ? 0 : 2;
    }
  } finally {
    await db.$disconnect();
    await embedded?.stop();
  }
  process.exit(code);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
