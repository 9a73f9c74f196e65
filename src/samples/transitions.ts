import { auditInsert, type Actor } from '../audit/audit.ts';
import { canMove, type TSampleStatus } from '../domain/sample-lifecycle.rules.ts';
import { Prisma, type Tx } from '../lib/db.ts';
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
 * event and the audit entry, and announces the change — all in the caller's transaction, and in one
 * statement (one round trip while the sample's lock is held). An illegal move is a 409.
 */
export async function moveSample(
  tx: Tx,
  sample: TLockedSample,
  to: TSampleStatus,
  actor: Actor,
  at: Date,
  extra: { note?: string; data?: { caseId?: string | null } } = {},
): Promise<void> {
  if (!canMove(sample.status, to)) {
    throw new AppError('CONFLICT', `A sample in ${sample.status} cannot move to ${to}`, { status: sample.status, to });
  }
  // A sample coming back from NEEDS_ATTENTION resumes a stage it already entered: its stage clock
  // keeps the first time, or the turnaround reports would start the stage again.
  const resuming = sample.status === 'NEEDS_ATTENTION';
  const stamp = resuming ? undefined : STAMP[to];
  const keepFirst = stamp === 'firstTestAt' && sample.firstTestAt;
  const sets = [Prisma.sql`status = ${to}::"SampleStatus"`, Prisma.sql`"updatedAt" = ${at}`];
  // The stage clock's column comes from STAMP (a fixed set of names), never from input.
  if (stamp && !keepFirst) sets.push(Prisma.sql`${Prisma.raw(`"${stamp}"`)} = ${at}`);
  if (to === 'NEEDS_ATTENTION') sets.push(Prisma.sql`"statusBeforeAttention" = ${sample.status}::"SampleStatus"`);
  if (resuming) sets.push(Prisma.sql`"statusBeforeAttention" = NULL`);
  if (extra.data && 'caseId' in extra.data) sets.push(Prisma.sql`"caseId" = ${extra.data.caseId ?? null}::uuid`);
  const audit = auditInsert({
    actor,
    action: `sample.status.${to.toLowerCase()}`,
    entityType: 'Sample',
    entityId: sample.id,
    before: { status: sample.status },
    after: { status: to, ...(extra.note ? { note: extra.note } : {}), ...extra.data },
  }, at);
  await tx.$executeRaw`
    WITH moved AS (UPDATE "Sample" SET ${Prisma.join(sets)} WHERE id = ${sample.id}::uuid),
         event AS (INSERT INTO "SampleEvent" ("sampleId", status, at, "byId", note)
                   VALUES (${sample.id}::uuid, ${to}::"SampleStatus", ${at}, ${actor?.id ?? null}::uuid, ${extra.note ?? null})),
         audit AS (${audit})
    ${announcement(sample.id, to)}`;
  sample.statusBeforeAttention = to === 'NEEDS_ATTENTION' ? sample.status : resuming ? null : sample.statusBeforeAttention;
  sample.status = to;
}

export const SAMPLE_CHANNEL = 'fol_samples';

/**
 * Tells every API instance that a sample changed, so lab worklists refresh live. NOTIFY is
 * transactional: it is delivered at commit, never for a change that rolled back.
 */
export async function announceSampleChange(tx: Tx, sampleId: string, status: string): Promise<void> {
  await tx.$executeRaw(announcement(sampleId, status));
}

const announcement = (sampleId: string, status: string) => Prisma.sql`SELECT pg_notify(${SAMPLE_CHANNEL}, ${JSON.stringify({ id: sampleId, status })})`;
