import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { TAttentionAction } from '../domain/closed-sets.ts';
import { canMove } from '../domain/sample-lifecycle.rules.ts';
import type { Tx } from '../lib/db.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';
import { JOBS, type TJobName } from '../queue/catalog.ts';
import type { TDeadLetterHook } from '../queue/dead-letter.ts';
import { enqueue } from '../queue/outbox.ts';
import { errorSummary, markResolved, openDeadLetters } from '../samples/dead-letters.repository.ts';
import { lockSample, moveSample } from '../samples/transitions.ts';

/**
 * The dead-letter hook (injected by the runtime into the job runner): the sample whose step ran out of
 * retries goes to NEEDS_ATTENTION, where a manager sees it, with the failure on its timeline.
 */
export const holdForAttention: TDeadLetterHook = async (tx, dead, at) => {
  const sample = await lockSample(tx, dead.sampleId);
  if (!sample || !canMove(sample.status, 'NEEDS_ATTENTION')) return;
  const note = `${dead.jobName} failed after ${dead.attempts} attempt${dead.attempts === 1 ? '' : 's'}: ${errorSummary(dead.error)}`;
  await moveSample(tx, sample, 'NEEDS_ATTENTION', null, at, { note });
};

/**
 * A manager's way out of NEEDS_ATTENTION. Both actions put the sample back to the status it had when
 * its step ran out of retries, write the timeline event and the audit entries, and mark the sample's
 * dead letters resolved. RETRY also queues each failed step again (a new job id: the failed job may
 * still sit in the queue under its own); RETURN leaves the next step to people and the sweeper.
 */
export async function resolveAttention(tx: Tx, sampleId: string, input: { action: TAttentionAction; reason: string }, user: AuthUser, now: Date) {
  const sample = await lockSample(tx, sampleId);
  if (!sample) throw notFound('Sample');
  if (sample.status !== 'NEEDS_ATTENTION') throw conflict(`Only a sample in NEEDS_ATTENTION can be retried or returned (this one is ${sample.status})`, { status: sample.status });
  const back = sample.statusBeforeAttention;
  if (!back) throw conflict('The status before NEEDS_ATTENTION was not recorded: nothing to return to');
  const dead = await openDeadLetters(tx, sampleId);
  const steps = input.action === 'RETRY' ? dead.map(retryable) : [];
  const actor = { id: user.id, role: user.role };
  const verb = input.action === 'RETRY' ? `retried (${steps.map((s) => s.name).join(', ') || 'no failed step on record'})` : 'returned';
  await moveSample(tx, sample, back, actor, now, { note: `${verb} by a manager: ${input.reason}` });
  for (const step of steps) await enqueue(tx, step.name, step.payload as never, { jobId: `attention-${step.deadLetterId}` });
  await markResolved(tx, dead.map((d) => d.id), { at: now, byId: user.id, resolution: input.action });
  for (const d of dead) {
    await appendAudit(tx, {
      actor, action: `deadletter.${input.action.toLowerCase()}`, entityType: 'DeadLetter', entityId: d.id,
      before: { resolvedAt: null, jobName: d.jobName, error: d.error },
      after: { resolvedAt: now, resolution: input.action, reason: input.reason, sampleStatus: back },
    }, now);
  }
}

/** A failed step as the catalogue knows it; a row the catalogue no longer accepts cannot be retried. */
function retryable(d: { id: string; jobName: string; payload: unknown }) {
  const def = JOBS[d.jobName as TJobName];
  const parsed = def?.payload.safeParse(d.payload);
  if (!def || !parsed?.success) throw new AppError('CONFLICT', `The failed step ${d.jobName} cannot be retried as recorded; return the sample instead`);
  return { name: d.jobName as TJobName, payload: parsed.data, deadLetterId: d.id };
}
