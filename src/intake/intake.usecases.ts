import { randomBytes } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import { OPEN_STATUSES, type TSampleStatus } from '../domain/sample-lifecycle.rules.ts';
import type { TPriority } from '../domain/closed-sets.ts';
import { derivePriority, dueAt, sampleSla, type TSlaPolicy } from '../domain/priority.rules.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
import { announceSampleChange } from '../samples/transitions.ts';
import { listPage } from '../http/cursor.ts';
import { enqueue } from '../queue/outbox.ts';
import { assertCanSeeSample, sampleScope } from '../samples/access.ts';
import type { TCreateSample, TCreateSeizure } from './intake.schemas.ts';
import { loadSampleView, type TViewClock } from '../samples/view.ts';
import { attachAtRegistration, prepareRegistration } from '../intelligence/registration.ts';

const actorOf = (u: AuthUser): Actor => ({ id: u.id, role: u.role });

/** Unambiguous characters only (no 0/O, 1/I): the code is read by people as well as scanners. */
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function randomCode(n: number): string {
  return [...randomBytes(n)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export async function createSeizure(tx: Tx, input: TCreateSeizure, user: AuthUser, now: Date) {
  const port = await tx.port.findUnique({ where: { code: input.portCode } });
  if (!port) throw new AppError('VALIDATION_FAILED', 'Unknown port code', [{ path: 'body.portCode', message: `no port ${input.portCode}` }]);
  if (new Date(input.seizedAt).getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('VALIDATION_FAILED', 'seizedAt is in the future', [{ path: 'body.seizedAt', message: 'must not be in the future' }]);
  }
  const seizureNumber = input.seizureNumber ?? `SZ-${input.portCode}-${now.getUTCFullYear()}-${randomCode(6)}`;
  if (await tx.seizure.findUnique({ where: { seizureNumber } })) throw new AppError('CONFLICT', `Seizure number ${seizureNumber} already exists`);
  const seizure = await tx.seizure.create({
    data: {
      seizureNumber,
      portCode: input.portCode,
      seizedAt: new Date(input.seizedAt),
      conveyance: input.conveyance ?? null,
      subjectInCustody: input.subjectInCustody,
      controlledDeliveryPending: input.controlledDeliveryPending ?? false,
      narrative: input.narrative ?? null,
      createdById: user.id,
      createdAt: now,
      relateRequestedAt: input.observables?.length ? now : null,
    },
  });
  const tagged = await prepareRegistration(tx, seizure, input, user, now);
  await appendAudit(tx, { actor: actorOf(user), action: 'seizure.create', entityType: 'Seizure', entityId: seizure.id, after: seizure }, now);
  const intel = await attachAtRegistration(tx, seizure, input, tagged, user, now);
  return { ...seizureView(seizure), ...intel };
}

export function seizureView(s: {
  id: string; seizureNumber: string; portCode: string; seizedAt: Date; conveyance: string | null; subjectInCustody: boolean;
  controlledDeliveryPending: boolean; narrative: string | null; caseId: string | null; createdAt: Date;
}) {
  return {
    id: s.id,
    portCode: s.portCode,
    seizedAt: s.seizedAt,
    seizureNumber: s.seizureNumber,
    conveyance: s.conveyance,
    subjectInCustody: s.subjectInCustody,
    controlledDeliveryPending: s.controlledDeliveryPending,
    narrative: s.narrative,
    caseId: s.caseId,
    createdAt: s.createdAt,
  };
}

/**
 * Registers a sample under a seizure: barcode, item number, priority and due date, the first custody
 * event, the timeline's REGISTERED, the audit entry and the triage job — one transaction.
 */
export async function createSample(tx: Tx, input: TCreateSample, user: AuthUser, now: Date, sla: TSlaPolicy) {
  const seizures = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Seizure" WHERE id = ${input.seizureId}::uuid FOR UPDATE`;
  if (!seizures.length) throw new AppError('VALIDATION_FAILED', 'Unknown seizure', [{ path: 'body.seizureId', message: 'no such seizure' }]);
  const seizure = (await tx.seizure.findUnique({ where: { id: input.seizureId } }))!;
  const last = await tx.sample.aggregate({ where: { seizureId: seizure.id }, _max: { itemNumber: true } });
  if (input.exhibitId && !(await tx.exhibit.count({ where: { id: input.exhibitId, seizureId: seizure.id } }))) {
    throw new AppError('VALIDATION_FAILED', 'Unknown exhibit', [{ path: 'body.exhibitId', message: 'no such exhibit on this seizure' }]);
  }
  const priority = derivePriority(input.priority, seizure);
  const yy = String(now.getUTCFullYear()).slice(2);
  const sample = await tx.sample.create({
    data: {
      barcode: `FOL${seizure.portCode}${yy}${randomCode(8)}`,
      seizureId: seizure.id,
      portCode: seizure.portCode,
      itemNumber: (last._max.itemNumber ?? 0) + 1,
      form: input.form,
      description: input.description,
      grossWeightG: input.grossWeightG,
      netWeightG: input.netWeightG ?? null,
      netWeightUncertaintyG: input.netWeightUncertaintyG ?? null,
      unitCount: input.unitCount ?? null,
      markings: input.markings ?? null,
      color: input.color ?? null,
      exhibitId: input.exhibitId ?? null,
      sealNumber: input.sealNumber,
      priority,
      status: 'REGISTERED',
      registeredById: user.id,
      registeredAt: now,
      dueAt: dueAt(now, priority, sla.hours),
      updatedAt: now,
    },
  });
  await tx.sampleEvent.create({ data: { sampleId: sample.id, status: 'REGISTERED', at: now, byId: user.id } });
  const custody = await tx.custodyEvent.create({
    data: {
      sampleId: sample.id,
      action: 'RECEIVED',
      toUserId: user.id,
      location: seizure.portCode,
      sealNumber: input.sealNumber,
      sealIntact: true,
      weightG: input.grossWeightG,
      recordedById: user.id,
      at: now,
      note: 'Received at registration',
    },
  });
  await appendAudit(tx, { actor: actorOf(user), action: 'sample.register', entityType: 'Sample', entityId: sample.id, after: sample }, now);
  await appendAudit(tx, { actor: actorOf(user), action: 'custody.received', entityType: 'CustodyEvent', entityId: custody.id, after: custody }, now);
  await enqueue(tx, 'triage', { sampleId: sample.id });
  await announceSampleChange(tx, sample.id, 'REGISTERED');
  return loadSampleView(tx, { id: sample.id }, { now, atRiskFraction: sla.atRiskFraction });
}

export async function getSample(db: Db, user: AuthUser, where: { id: string } | { barcode: string }, at: TViewClock) {
  const view = await loadSampleView(db, where, at);
  await assertCanSeeSample(db, user, view);
  return view;
}

type TListFilter = { status?: string; portCode?: string; priority?: string; overdue?: string; open?: string; limit: number; cursor?: string };

/**
 * The worklist: priority first, then due date (then id, so the cursor is stable). The cursor is the
 * last row's sort key, opaque to clients.
 */
export async function listSamples(db: Db, user: AuthUser, f: TListFilter, { now, atRiskFraction }: TViewClock) {
  const scope = await sampleScope(db, user);
  const page = await listPage(
    f.limit, f.cursor,
    (args) => db.sample.findMany({
      where: {
        ...scope,
        // Each filter is its own condition: `open` and `overdue` narrow `status`, never replace it.
        AND: [
          ...(f.status ? [{ status: f.status as TSampleStatus }] : []),
          ...(f.open === 'true' || f.overdue === 'true' ? [{ status: { in: [...OPEN_STATUSES] } }] : []),
          ...(f.overdue === 'true' ? [{ dueAt: { lt: now } }] : []),
        ],
        ...(f.portCode ? { portCode: f.portCode } : {}),
        ...(f.priority ? { priority: f.priority as TPriority } : {}),
      },
      orderBy: [{ priority: 'desc' }, { dueAt: 'asc' }, { id: 'asc' }],
      include: { classifications: { orderBy: { version: 'desc' }, take: 1, select: { category: true, level: true, version: true } } },
      ...args,
    }),
    async (id) => !!(await db.sample.findUnique({ where: { id }, select: { id: true } })),
  );
  return {
    items: page.items.map((s) => ({
      id: s.id,
      barcode: s.barcode,
      seizureId: s.seizureId,
      portCode: s.portCode,
      form: s.form,
      description: s.description,
      priority: s.priority,
      status: s.status,
      registeredAt: s.registeredAt,
      dueAt: s.dueAt,
      overdue: sampleSla(s, now, atRiskFraction) === 'BREACHED',
      sla: sampleSla(s, now, atRiskFraction),
      classification: s.classifications[0] ?? null,
      caseId: s.caseId,
    })),
    nextCursor: page.nextCursor,
  };
}


