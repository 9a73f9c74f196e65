import type { Db } from '../lib/db.ts';

export const IMPORT_CHANNEL = 'fol_imports';

export type TImportProgress = { importId: string; userId: string; status: string; done: number; total: number };

/**
 * Announces an import's progress to the API instances (which push it to the importer's live streams).
 * Sent on the pool, outside the import's transaction, so it is heard while the transaction still runs.
 */
export async function announceProgress(db: Db, p: TImportProgress): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${IMPORT_CHANNEL}, ${JSON.stringify(p)})`;
}
