import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { TPriority } from '../domain/closed-sets.ts';
import { atRiskAt, derivePriority, dueAt, type TSlaPolicy } from '../domain/priority.rules.ts';
import { isOpen } from '../domain/sample-lifecycle.rules.ts';
import type { Tx } from '../lib/db.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';
import { enqueue } from '../queue/outbox.ts';
import { announceSampleChange, lockSample } from '../samples/transitions.ts';
import { insertCorrection, type TEntityType } from './corrections.repository.ts';
import type { TFieldChange, TSampleCorrection, TSeizureChanges } from './corrections.schemas.ts';

export type TCorrectionCtx = { user: AuthUser; now: Date; sla: TSlaPolicy };
type TBatch = { id: string; reason: string; ctx: TCorrectionCtx };
type TSampleRow = Awaited<ReturnType<Tx['sample']['findUniqueOrThrow']>>;
type TSeizureRow = Awaited<ReturnType<Tx['seizure']['findUniqueOrThrow']>>;
type TFlags = { subjectInCustody: boolean; controlledDeliveryPending: boolean };

/** Fields whose change re-evaluates the classification: the thresholds compare the weights (21 USC 841). */
const WEIGHTS = ['grossWeightG', 'netWeightG', 'netWeightUncertaintyG'];
/** Fields printed on the sample label (src/documents/label.ts): a change means a new label. */
const PRINTED = ['grossWeightG', 'netWeightG', 'netWeightUncertaintyG', 'form', 'priority', 'portCode', 'seizureNumber'];

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path: `body.changes.${field}`, message }]);
const plain = (v: unknown) => (v instanceof Date ? v.toISOString() : v ?? null);

/** The fields of `wanted` whose value differs from the record's. */
function diff(record: Record<string, unknown>, wanted: Record<string, unknown>): TFieldChange[] {
  return Object.entries(wanted)
    .filter(([k, v]) => v !== undefined && plain(record[k]) !== plain(v))
    .map(([field, after]) => ({ field, before: plain(record[field]), after: plain(after) }));
}

async function record(tx: Tx, batch: TBatch, entityType: TEntityType, entityId: string, statusAt: string | null, changes: TFieldChange[]) {
  const { user, now } = batch.ctx;
  await insertCorrection(tx, { id: batch.id, entityType, entityId, reason: batch.reason, statusAt, correctedBy: user.id, correctedAt: now, changes });
  await appendAudit(tx, {
    actor: { id: user.id, role: user.role }, action: `${entityType.toLowerCase()}.correct`, entityType, entityId,
    before: Object.fromEntries(changes.map((c) => [c.field, c.before])),
    after: { ...Object.fromEntries(changes.map((c) => [c.field, c.after])), reason: batch.reason, correction: batch.id },
  }, now);
}

/**
 * Applies changed fields to one sample and records them: a new priority moves the due date (and
 * clears SLA flags that no longer hold); a weight bumps the revision and, once tests exist, asks for
 * a re-classification, so the threshold flags follow the corrected weight.
 */
async function applyToSample(tx: Tx, batch: TBatch, s: TSampleRow, wanted: Record<string, unknown>): Promise<TFieldChange[]> {
  const changes = diff(s, wanted);
  if (!changes.length) return [];
  const data: Record<string, unknown> = Object.fromEntries(changes.map((c) => [c.field, c.after]));
  const priority = data.priority as TPriority | undefined;
  if (priority && s.dueAt) {
    const due = dueAt(s.registeredAt, priority, batch.ctx.sla.hours);
    const now = batch.ctx.now;
    changes.push({ field: 'dueAt', before: s.dueAt.toISOString(), after: due.toISOString() });
    Object.assign(data, {
      dueAt: due,
      ...(due >= now ? { slaBreachedAt: null } : {}),
      ...(atRiskAt(s.registeredAt, due, batch.ctx.sla.atRiskFraction) > now ? { slaAtRiskAt: null } : {}),
    });
  }
  const weighed = changes.some((c) => WEIGHTS.includes(c.field));
  await tx.sample.update({ where: { id: s.id }, data: { ...data, updatedAt: batch.ctx.now, ...(weighed ? { revision: { increment: 1 } } : {}) } });
  if (weighed && (await tx.test.count({ where: { sampleId: s.id } }))) await enqueue(tx, 'classify', { sampleId: s.id });
  await record(tx, batch, 'Sample', s.id, s.status, changes);
  await announceSampleChange(tx, s.id, s.status);
  return changes;
}

/** The seizure's open samples whose priority was the automatic one for the old flags: they follow the new flags. */
async function followers(tx: Tx, seizureId: string, before: TFlags, after: TFlags) {
  if (derivePriority(undefined, before) === derivePriority(undefined, after)) return [];
  const ids = await tx.sample.findMany({ where: { seizureId, priority: derivePriority(undefined, before) }, select: { id: true }, orderBy: { id: 'asc' } });
  const out: { sample: TSampleRow; priority: TPriority }[] = [];
  for (const { id } of ids) {
    const locked = await lockSample(tx, id);
    if (!locked || !isOpen(locked.status)) continue;
    out.push({ sample: await tx.sample.findUniqueOrThrow({ where: { id } }), priority: derivePriority(undefined, after) });
  }
  return out;
}

/**
 * Applies changed seizure fields and what follows from them: its samples' port, the automatic
 * priorities of its open samples (subject in custody, controlled delivery), a new related-seizure
 * scoring. `skip` is a sample whose own correction in this batch handles it.
 */
async function applyToSeizure(tx: Tx, batch: TBatch, z: TSeizureRow, wanted: Record<string, unknown>, skip?: string) {
  const changes = diff(z, wanted);
  const sampleChanges = new Map<string, { barcode: string; changes: TFieldChange[] }>();
  if (!changes.length) return { changes, sampleChanges, priorityFor: new Map<string, TPriority>() };
  const data = Object.fromEntries(changes.map((c) => [c.field, c.field === 'seizedAt' ? new Date(c.after as string) : c.after]));
  const after = await tx.seizure.update({ where: { id: z.id }, data });
  await record(tx, batch, 'Seizure', z.id, null, changes);
  const priorityFor = new Map((await followers(tx, z.id, z, after)).map((f) => [f.sample.id, f.priority]));
  const portMoved = changes.some((c) => c.field === 'portCode');
  const touched = (await tx.sample.findMany({ where: { seizureId: z.id }, orderBy: { itemNumber: 'asc' } }))
    .filter((s) => s.id !== skip && (portMoved || priorityFor.has(s.id) || changes.some((c) => c.field === 'seizureNumber')));
  for (const s of touched) {
    const own = await applyToSample(tx, batch, s, { ...(portMoved ? { portCode: after.portCode } : {}), ...(priorityFor.has(s.id) ? { priority: priorityFor.get(s.id) } : {}) });
    const printed = changes.filter((c) => c.field === 'seizureNumber');
    if (own.length || printed.length) sampleChanges.set(s.id, { barcode: s.barcode, changes: [...printed, ...own] });
  }
  if (changes.some((c) => ['portCode', 'seizedAt', 'conveyance'].includes(c.field))) {
    await tx.seizure.update({ where: { id: z.id }, data: { relateRequestedAt: batch.ctx.now } });
    await enqueue(tx, 'relate', { seizureId: z.id });
  }
  return { changes, sampleChanges, priorityFor };
}

const nothingToCorrect = () => new AppError('VALIDATION_FAILED', 'Nothing to correct: every value given is the one on record', [{ path: 'body.changes', message: 'every value given is already the one on record' }]);
const reprintOf = (m: Map<string, { barcode: string; changes: TFieldChange[] }>) =>
  [...m].filter(([, v]) => v.changes.some((c) => PRINTED.includes(c.field))).map(([sampleId, v]) => ({ sampleId, barcode: v.barcode }));

/**
 * A reason-logged correction of a registered sample (ISO/IEC 17025 7.5): each changed field keeps its
 * old value, the new one, who, when and why; audited in the same transaction. Only while the lab
 * still owes the result: a released result is final.
 */
export async function correctSample(tx: Tx, sampleId: string, input: TSampleCorrection, ctx: TCorrectionCtx) {
  const locked = await lockSample(tx, sampleId);
  if (!locked) throw notFound('Sample');
  if (!isOpen(locked.status)) throw conflict(`The result of this sample is released (${locked.status}): its record can no longer be corrected`, { status: locked.status });
  const s = await tx.sample.findUniqueOrThrow({ where: { id: sampleId } });
  const { subjectInCustody, controlledDeliveryPending, ...own } = input.changes;
  const gross = own.grossWeightG ?? s.grossWeightG;
  const net = own.netWeightG !== undefined ? own.netWeightG : s.netWeightG;
  const uncertainty = own.netWeightUncertaintyG !== undefined ? own.netWeightUncertaintyG : s.netWeightUncertaintyG;
  if (net !== null && net > gross) throw invalid(own.netWeightG !== undefined ? 'netWeightG' : 'grossWeightG', `net weight (${net} g) cannot exceed gross weight (${gross} g)`);
  if (uncertainty !== null && net === null) throw invalid('netWeightUncertaintyG', 'an uncertainty needs the net weight it belongs to: clear it too, or give the net weight');

  const batch: TBatch = { id: randomUUID(), reason: input.reason, ctx };
  const seizure = await tx.seizure.findUniqueOrThrow({ where: { id: s.seizureId } });
  const flags = Object.fromEntries(Object.entries({ subjectInCustody, controlledDeliveryPending }).filter(([, v]) => v !== undefined));
  const z = await applyToSeizure(tx, batch, seizure, flags, sampleId);
  const followed = own.priority === undefined && z.priorityFor.has(sampleId) ? { priority: z.priorityFor.get(sampleId) } : {};
  const changes = await applyToSample(tx, batch, s, { ...own, ...followed });
  if (!changes.length && !z.changes.length) throw nothingToCorrect();
  const all = new Map(z.sampleChanges).set(sampleId, { barcode: s.barcode, changes });
  return { id: batch.id, reason: batch.reason, correctedAt: ctx.now, correctedBy: ctx.user.id, changes, seizureChanges: z.changes,
    otherSamples: [...z.sampleChanges].map(([id, v]) => ({ sampleId: id, barcode: v.barcode, changes: v.changes })), reprint: reprintOf(all) };
}

/** A reason-logged correction of a seizure's fields; its samples follow where they depend on them. */
export async function correctSeizure(tx: Tx, seizureId: string, input: { changes: TSeizureChanges; reason: string }, ctx: TCorrectionCtx) {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Seizure" WHERE id = ${seizureId}::uuid FOR UPDATE`;
  if (!row) throw notFound('Seizure');
  const seizure = await tx.seizure.findUniqueOrThrow({ where: { id: seizureId } });
  const c = input.changes;
  if (c.portCode && !(await tx.port.findUnique({ where: { code: c.portCode } }))) throw invalid('portCode', `no port ${c.portCode}`);
  if (c.seizedAt && new Date(c.seizedAt).getTime() > ctx.now.getTime() + 5 * 60_000) throw invalid('seizedAt', 'must not be in the future');
  if (c.seizureNumber && c.seizureNumber !== seizure.seizureNumber && (await tx.seizure.findUnique({ where: { seizureNumber: c.seizureNumber } }))) {
    throw conflict(`Seizure number ${c.seizureNumber} already exists`);
  }
  const wanted = { ...c, ...(c.seizedAt ? { seizedAt: new Date(c.seizedAt) } : {}) };
  const batch: TBatch = { id: randomUUID(), reason: input.reason, ctx };
  const z = await applyToSeizure(tx, batch, seizure, wanted);
  if (!z.changes.length) throw nothingToCorrect();
  return { id: batch.id, reason: batch.reason, correctedAt: ctx.now, correctedBy: ctx.user.id, changes: z.changes,
    samples: [...z.sampleChanges].map(([id, v]) => ({ sampleId: id, barcode: v.barcode, changes: v.changes })), reprint: reprintOf(z.sampleChanges) };
}
