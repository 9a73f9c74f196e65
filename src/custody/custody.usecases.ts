import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import { lockSample } from '../samples/transitions.ts';
import type { TCustodyAction } from '../domain/closed-sets.ts';
import type { Tx } from '../lib/db.ts';
import { AppError, conflict, notFound } from '../lib/errors.ts';


export type TCustodyInput = {
  action: TCustodyAction;
  toUserId?: string;
  location?: string;
  sealNumber?: string;
  sealIntact?: boolean;
  weightG?: number;
  witnessId?: string;
  note?: string;
};

type TEvent = {
  id: string; sampleId: string; action: string; fromUserId: string | null; toUserId: string | null; location: string | null;
  sealNumber: string | null; sealIntact: boolean | null; weightG: number | null; witnessId: string | null; note: string | null;
  recordedById: string; at: Date;
};

export const custodyView = (e: TEvent) => ({
  id: e.id, sampleId: e.sampleId, action: e.action, fromUserId: e.fromUserId, toUserId: e.toUserId, location: e.location,
  sealNumber: e.sealNumber, sealIntact: e.sealIntact, weightG: e.weightG, witnessId: e.witnessId, note: e.note,
  recordedById: e.recordedById, at: e.at.toISOString(),
});

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ path: `body.${path}`, message }]);

/**
 * Appends one custody event (ASTM E1492). The holder is whoever the last event handed the item to;
 * a transfer names the receiving user, sealing names the seal, a destruction needs a witness, and
 * nothing follows a destruction. Events are never edited: a mistake is corrected by a further event
 * whose note says so.
 */
export async function recordCustody(tx: Tx, sampleId: string, input: TCustodyInput, user: AuthUser, now: Date) {
  const sample = await lockSample(tx, sampleId);
  if (!sample) throw notFound('Sample');
  const last = await tx.custodyEvent.findFirst({ where: { sampleId }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
  if (last?.action === 'DESTROYED') throw conflict('The item was destroyed; its chain of custody is closed');
  const holder = last?.toUserId ?? last?.fromUserId ?? null;

  if ((input.action === 'TRANSFERRED' || input.action === 'RETURNED') && !input.toUserId) throw invalid('toUserId', `a ${input.action.toLowerCase()} item must name who receives it`);
  if ((input.action === 'SEALED' || input.action === 'RESEALED') && !input.sealNumber) throw invalid('sealNumber', 'sealing must record the seal number');
  if (input.action === 'RECEIVED' && input.sealIntact === undefined) throw invalid('sealIntact', 'on receipt, say whether the seal was intact');
  if (input.action === 'DESTROYED' && (!input.witnessId || !input.note)) throw invalid('witnessId', 'a destruction needs a witness and a note (authority, method)');
  if (input.witnessId && input.witnessId === user.id) throw invalid('witnessId', 'the witness must be someone else');
  for (const [field, id] of [['toUserId', input.toUserId], ['witnessId', input.witnessId]] as const) {
    if (!id) continue;
    const other = await tx.user.findUnique({ where: { id }, select: { disabledAt: true } });
    if (!other || other.disabledAt) throw invalid(field, 'must be an active user');
  }
  const toUserId = input.toUserId ?? (input.action === 'RECEIVED' ? user.id : null);
  const event = await tx.custodyEvent.create({
    data: {
      sampleId,
      action: input.action,
      fromUserId: input.action === 'RECEIVED' ? holder : (holder ?? user.id),
      toUserId,
      location: input.location ?? null,
      sealNumber: input.sealNumber ?? null,
      sealIntact: input.sealIntact ?? null,
      weightG: input.weightG ?? null,
      witnessId: input.witnessId ?? null,
      note: input.note ?? null,
      recordedById: user.id,
      at: now,
    },
  });
  await appendAudit(tx, { actor: { id: user.id, role: user.role }, action: `custody.${input.action.toLowerCase()}`, entityType: 'CustodyEvent', entityId: event.id, after: event }, now);
  return custodyView(event);
}
