/**
 * npm run library:import -- FILE --name NAME
 *
 * Imports a NIST text (MSP) mass-spectral library as a new immutable version, as
 * POST /api/v1/spectral-libraries does, from the command line of the server (no account: the audit
 * entry names the operating-system user and host). Connects as the service does: DATABASE_URL (and
 * DATABASE_OWNER_URL to apply pending migrations first), or the embedded database's service role. Prints the version as JSON. The same file twice is one version.
 */
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { loadReferenceData } from '../src/domain/reference-data.ts';
import { buildSubstanceIndex } from '../src/domain/substances.rules.ts';
import { migrateDatabase, resolveDatabase } from '../src/entry/runtime.ts';
import { loadConfig } from '../src/lib/config.ts';
import { createDb } from '../src/lib/db.ts';
import { AppError } from '../src/lib/errors.ts';
import { createLogger } from '../src/lib/logger.ts';
import { importLibrary } from '../src/spectral-libraries/libraries.usecases.ts';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--name');
  const name = at >= 0 ? args[at + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && i !== at + 1);
  if (!file || !name) {
    console.error('usage: npm run library:import -- FILE --name NAME');
    return 64;
  }
  const config = loadConfig();
  const log = createLogger('error');
  const { url, ownerUrl, embedded } = await resolveDatabase(config, log);
  const db = createDb(url, 4);
  try {
    await migrateDatabase(url, ownerUrl, log);
    const ref = loadReferenceData();
    const engine = { ref, index: buildSubstanceIndex(ref.substances.substances), matchThreshold: config.MATCH_THRESHOLD };
    // No account signs a shell command: the audit entry records the operating-system user instead.
    const via = `npm run library:import (${userInfo().username}@${hostname()})`;
    const result = await importLibrary(db, { bytes: readFileSync(file), name, via }, null, engine, new Date());
    console.log(JSON.stringify({ ...result.body, created: result.status === 201 }, null, 2));
    return 0;
  } catch (err) {
    console.error(err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : err);
    return 1;
  } finally {
    await db.$disconnect();
    await embedded?.stop();
  }
}

main().then((code) => process.exit(code));
