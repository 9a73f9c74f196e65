/**
 * npm run -s audit:verify -- --checkpoints FILE --public-key FILE [--anchor FILE] [--json]
 *
 * Checks the audit log the way an auditor would, with nothing but read access to the database and
 * two files kept outside it: the checkpoint file (every signed checkpoint, one JSON line each) and the
 * lab's public key (a C2SP verifier key, `<key file>.pub`). Every entry is checked against its
 * content, every record's chain, and every checkpoint against the Merkle tree rebuilt from the
 * entries. `--anchor` also checks an anchor file written by the former `audit:anchor` ({seq, hash}).
 * Without the options, the service's configured files are used (AUDIT_CHECKPOINT_FILE,
 * AUDIT_PUBLIC_KEY_FILE). Uses DATABASE_URL, or the embedded database (stop the service first).
 * Exit code: 0 intact, 2 problems found, 1 could not check.
 */
import { readFileSync } from 'node:fs';
import { auditPaths } from '../src/audit/audit-config.ts';
import { readVerifierKey } from '../src/audit/checkpoint-key.ts';
import { loadCheckpoints } from '../src/audit/verify-checkpoints.ts';
import { verifyAuditLog } from '../src/audit/verify.ts';
import { loadConfig } from '../src/lib/config.ts';
import { createDb } from '../src/lib/db.ts';
import { provisionRoles } from '../src/lib/db-roles.ts';
import { startEmbeddedPostgres } from '../src/lib/embedded-postgres.ts';
import { createLogger } from '../src/lib/logger.ts';

const opt = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const n = (x: number) => x.toLocaleString('en-US');

async function main() {
  const config = loadConfig();
  const paths = auditPaths(config);
  const keyFile = opt('public-key') ?? paths.publicKeyFile;
  const checkpointFile = opt('checkpoints') ?? paths.checkpointFile;
  const key = readVerifierKey(keyFile);
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, database: 'fol', log: createLogger('error') });
  const url = config.DATABASE_URL ?? (await provisionRoles(embedded!.url, 'fol', embedded!.credentials)).serviceUrl;
  const db = createDb(url, 2);
  try {
    const result = await verifyAuditLog(db, await loadCheckpoints(db, key, checkpointFile));
    const anchorFile = opt('anchor');
    if (anchorFile) {
      const anchor = JSON.parse(readFileSync(anchorFile, 'utf8')) as { seq: number; hash: string };
      const leaf = await db.auditLeaf.findUnique({ where: { seq: BigInt(anchor.seq) } });
      if (leaf?.hash !== anchor.hash) {
        result.ok = false;
        result.problems.push({ kind: 'changed', seq: anchor.seq, message: `entry ${anchor.seq} no longer carries the hash anchored in ${anchorFile}` });
      }
    }
    if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else {
      const c = result.checkpoints;
      console.log(`Audit log        ${n(result.entries)} entries sealed, ${n(result.pending)} waiting to be sealed; ${n(result.records)} record chains; ${n(result.legacy)} entries from before record chains`);
      console.log(`Merkle tree      ${n(result.tree.size)} leaves, root ${result.tree.rootHash}`);
      console.log(`Checkpoints      ${n(c.checked)} signed by ${key.name} checked${c.latest ? `; latest #${c.latest.number} of ${c.latest.time} vouches for ${n(c.latest.treeSize)} entries` : ''} (file: ${checkpointFile})`);
      console.log(result.ok ? 'Result           INTACT' : `Result           NOT INTACT — ${result.problems.length} problem(s)${result.firstBadSeq ? `, first bad entry ${result.firstBadSeq}` : ''}`);
      for (const p of result.problems) console.log(`  - ${p.message}`);
    }
    process.exitCode = result.ok ? 0 : 2;
  } finally {
    await db.$disconnect();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
