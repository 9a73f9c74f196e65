import type { Logger } from '../lib/logger.ts';
import { keepTrying } from '../queue/schedule.ts';
import type { QueueKit } from '../queue/backend.ts';
import type { JobHandler } from '../entry/deps.ts';
import { appendAudit } from '../audit/audit.ts';
import { requestNotifications } from '../notifications/plan.ts';
import { OPEN_SAMPLE_PREDICATE } from '../samples/sample.sql.ts';

const BATCH = 500;

/**
 * The SLA clock, run every SLA_SCAN_MS by a BullMQ job scheduler. A sample not yet released is
 * flagged SLA_AT_RISK once SLA_AT_RISK_FRACTION of its budget (registration → due) is used, and
 * SLA_BREACHED once past due — each once, stamped on the sample in the same transaction as the
 * request to notify managers. Time comes from the injected clock.
 */
export const slaJob: JobHandler<'sla'> = async (_payload, ctx) => {
  const now = ctx.clock.now();
  const fraction = ctx.config.SLA_AT_RISK_FRACTION;
  for (;;) {
    const flagged = await ctx.db.$transaction(async (tx) => {
      const breached = await tx.$queryRawUnsafe<{ id: string }[]>(
        `UPDATE "Sample" SET "slaBreachedAt" = $1::timestamp, "slaAtRiskAt" = coalesce("slaAtRiskAt", $1::timestamp)
         WHERE id IN (SELECT id FROM "Sample" WHERE ${OPEN_SAMPLE_PREDICATE} AND "dueAt" < $1::timestamp AND "slaBreachedAt" IS NULL LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING id`, now.toISOString());
      const atRisk = await tx.$queryRawUnsafe<{ id: string }[]>(
        `UPDATE "Sample" SET "slaAtRiskAt" = $1::timestamp
         WHERE id IN (SELECT id FROM "Sample" WHERE ${OPEN_SAMPLE_PREDICATE} AND "slaAtRiskAt" IS NULL AND "dueAt" >= $1::timestamp
                        -- atRiskAt (priority.rules.ts) in SQL: registered + fraction × budget
                        AND "registeredAt" + ("dueAt" - "registeredAt") * $2::float8 <= $1::timestamp
                      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING id`, now.toISOString(), fraction);
      for (const [type, rows] of [['SLA_AT_RISK', atRisk], ['SLA_BREACHED', breached]] as const) {
        for (const { id } of rows) {
          await appendAudit(tx, { actor: null, action: `sample.${type.toLowerCase()}`, entityType: 'Sample', entityId: id, after: { flaggedAt: now.toISOString() } }, now);
          await requestNotifications(tx, { type, sampleId: id });
        }
      }
      return breached.length + atRisk.length;
    });
    if (flagged) ctx.log.info({ flagged }, 'SLA flags raised');
    if (flagged < BATCH) return;
  }
};

/**
 * One scheduler per deployment (BullMQ upserts it by id), whichever worker starts first. Retried in
 * the background until the queue backend answers, so a worker starts while Redis is away.
 */
export function scheduleSla(kit: QueueKit, everyMs: number, log: Logger): () => void {
  return keepTrying(() => kit.queue('sla').upsertJobScheduler('sla-clock', { every: everyMs }, { name: 'sla', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } }), log, 'SLA scheduler');
}
