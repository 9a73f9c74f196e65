import { UnrecoverableError } from 'bullmq';
import { appendAudit } from '../audit/audit.ts';
import type { JobHandler } from '../entry/deps.ts';
import { slaPolicy } from '../lib/config.ts';
import { AppError } from '../lib/errors.ts';
import { executeImport } from './execute.ts';
import type { TPlanSeizure } from './plan.ts';
import { announceProgress } from './progress.ts';

/**
 * A large manifest, checked at upload, written in one transaction (all or nothing) with progress on
 * the importer's live stream. A repeat finds the import no longer QUEUED and stops. A plan that no
 * longer fits the record (someone registered the same seizure number meanwhile) fails for good.
 */
export const importManifestJob: JobHandler<'importManifest'> = async ({ importId }, ctx) => {
  const imp = await ctx.db.manifestImport.findUnique({ where: { id: importId } });
  if (!imp || imp.status !== 'QUEUED') return;
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: imp.createdById } });
  const plan = imp.rows as TPlanSeizure[];
  const base = { importId, userId: user.id, total: plan.length };
  const now = ctx.clock.now();
  try {
    await ctx.db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "ManifestImport" WHERE id = ${importId}::uuid FOR UPDATE`;
      if (row?.status !== 'QUEUED') return;
      const step = Math.max(1, Math.floor(plan.length / 20));
      const result = await executeImport(tx, plan, { id: user.id, email: user.email, name: user.name, role: user.role }, now, slaPolicy(ctx.config),
        (done) => (done % step === 0 ? announceProgress(ctx.db, { ...base, status: 'RUNNING', done }) : Promise.resolve()));
      await tx.manifestImport.update({ where: { id: importId }, data: { status: 'COMPLETED', createdCount: result.exhibits, seizureIds: result.seizureIds, sampleIds: result.sampleIds, finishedAt: ctx.clock.now() } });
      await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: 'import.complete', entityType: 'ManifestImport', entityId: importId, after: { exhibits: result.exhibits, seizures: result.seizureIds.length, samples: result.sampleIds.length } }, now);
    }, { timeout: 10 * 60_000, maxWait: 30_000 });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await ctx.db.manifestImport.update({ where: { id: importId }, data: { status: 'FAILED', error: err.message, finishedAt: ctx.clock.now() } });
    await announceProgress(ctx.db, { ...base, status: 'FAILED', done: 0 });
    throw new UnrecoverableError(`import ${importId}: ${err.message}`);
  }
  await announceProgress(ctx.db, { ...base, status: 'COMPLETED', done: plan.length });
};
