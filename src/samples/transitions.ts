import { appendAudit, type Actor } from '../audit/audit.ts';
import { canMove, type TSampleStatus } from '../domain/sample-lifecycle.rules.ts';
import type { Tx } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';

/** The stage clock each status starts (the turnaround reports read these). */
const STAMP: Partial<Record<TSampleStatus, 'queuedAt' | 'firstTestAt' | 'submittedAt' | 'releasedAt' | 'routedAt'>> = {
  QUEUED: 'queuedAt',
  IN_ANALYSIS: 'firstTestAt',
  AWAITING_REVIEW: 'submittedAt',
  RELEASED: 'releasedAt',
  ROUTED: 'routedAt',
};

export type TLockedSample = { id: string; status: TSampleStatus; firstTestAt: Date | null; statusBeforeAttention: TSampleStatus | null };

/** Locks the sample row for the rest of the transaction: state changes on one sample are serialised. */
export async function lockSample(tx: Tx, sampleId: string): Promise<TLockedSample | null> {
  const rows = await tx.$queryRaw<TLockedSample[]>`
    SELECT id, status::text AS status, "firstTestAt", "statusBeforeAttention"::text AS "statusBeforeAttention"
    FROM "Sample" WHERE id = ${sampleId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * Moves a locked sample to `to`: checks the lifecycle, stamps the stage clock, writes the timeline
 * event and the audit entry — all in the caller's transaction. An illegal move is a 409.
 */
export async function moveSample(
  tx: Tx,
  sample: TLockedSample,
  to: TSampleStatus,
  actor: Actor,
  at: Date,
  extra: { note?: string; data?: Record<string, unknown> } = {},
): Promise<void> {
  if (!canMove(sample.status, to)) {
    throw new AppError('CONFLICT', `A sample in ${sample.status} cannot move to ${to}`, { status: sample.status, to });
  }
  // A sample coming back from NEEDS_ATTENTION resumes a stage it already entered: its stage clock
  // keeps the first time, or the turnaround reports would start the stage again.
  const resuming = sample.status === 'NEEDS_ATTENTION';
  const stamp = resuming ? undefined : STAMP[to];
  const keepFirst = stamp === 'firstTestAt' && sample.firstTestAt;
  await tx.sample.update({
    where: { id: sample.id },
    data: {
      status: to,
      updatedAt: at,
      ...(stamp && !keepFirst ? { [stamp]: at } : {}),
      ...(to === 'NEEDS_ATTENTION' ? { statusBeforeAttention: sample.status } : {}),
      ...(resuming ? { statusBeforeAttention: null } : {}),
      ...extra.data,
    },
  });
  await tx.sampleEvent.create({ data: { sampleId: sample.id, status: to, at, byId: actor?.id ?? null, note: extra.note } });
  await announceSampleChange(tx, sample.id, to);
  await appendAudit(tx, {
    actor,
    action: `sample.status.${to.toLowerCase()}`,
    entityType: 'Sample',
    entityId: sample.id,
    before: { status: sample.status },
    after: { status: to, ...(extra.note ? { note: extra.note } : {}), ...extra.data },
  }, at);
  sample.statusBeforeAttention = to === 'NEEDS_ATTENTION' ? sample.status : resuming ? null : sample.statusBeforeAttention;
  sample.status = to;
}

export const SAMPLE_CHANNEL = 'fol_samples';

/**
 * Tells every API instance that a sample changed, so lab worklists refresh live. NOTIFY is
 * transactional: it is delivered at commit, never for a change that rolled back.
 */
export async function announceSampleChange(tx: Tx, sampleId: string, status: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${SAMPLE_CHANNEL}, ${JSON.stringify({ id: sampleId, status })})`;
}
