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
import type { TCreateSample, TCreateSeizure, TSampleSort, ZSampleListQuery } from './intake.schemas.ts';
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.ts';
import { loadSampleView, sampleView, type TViewClock } from '../samples/view.ts';
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
  // The seizure, locked (item numbers are per seizure), with its last item number: one round trip.
  const [seizure] = await tx.$queryRaw<{ id: string; portCode: string; seizureNumber: string; caseId: string | null; subjectInCustody: boolean; controlledDeliveryPending: boolean; lastItem: number | null }[]>`
    SELECT z.id, z."portCode", z."seizureNumber", z."caseId", z."subjectInCustody", z."controlledDeliveryPending",
           (SELECT max(s."itemNumber") FROM "Sample" s WHERE s."seizureId" = z.id) AS "lastItem"
    FROM "Seizure" z WHERE z.id = ${input.seizureId}::uuid FOR UPDATE OF z`;
  if (!seizure) throw new AppError('VALIDATION_FAILED', 'Unknown seizure', [{ path: 'body.seizureId', message: 'no such seizure' }]);
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
      itemNumber: (seizure.lastItem ?? 0) + 1,
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
  const registered = await tx.sampleEvent.create({ data: { sampleId: sample.id, status: 'REGISTERED', at: now, byId: user.id } });
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
  // Built from the rows just written (a new sample has no tests, classification, review or
  // correction yet), not read back: the same view loadSampleView would give.
  return sampleView(
    { ...sample, tests: [], classifications: [], events: [registered], seizure: { seizureNumber: seizure.seizureNumber, caseId: seizure.caseId } },
    { review: null, failures: [], corrections: [] },
    { now, atRiskFraction: sla.atRiskFraction },
  );
}

export async function getSample(db: Db, user: AuthUser, where: { id: string } | { barcode: string }, at: TViewClock) {
  const view = await loadSampleView(db, where, at);
  await assertCanSeeSample(db, user, view);
  return view;
}

type TListFilter = Omit<z.infer<typeof ZSampleListQuery>, 'sort'> & { sort?: TSampleSort };

const ORDER: Record<TSampleSort, Prisma.SampleOrderByWithRelationInput[]> = {
  worklist: [{ priority: 'desc' }, { dueAt: 'asc' }, { id: 'asc' }],
  due: [{ dueAt: 'asc' }, { id: 'asc' }],
  registered: [{ registeredAt: 'desc' }, { id: 'asc' }],
  barcode: [{ barcode: 'asc' }, { id: 'asc' }],
};

/**
 * The sample list, by default in worklist order: priority first, then due date (then id, so the
 * cursor is stable). Filters narrow each other; `total` counts every match, not just this page. Each
 * item says whether the caller recorded a test on it (then they may not review it).
 */
export async function listSamples(db: Db, user: AuthUser, f: TListFilter, { now, atRiskFraction }: TViewClock) {
  const scope = await sampleScope(db, user);
  const where: Prisma.SampleWhereInput = {
    ...scope,
    // Each filter is its own condition: `open` and `overdue` narrow `status`, never replace it.
    AND: [
      ...(f.status ? [{ status: f.status as TSampleStatus }] : []),
      ...(f.open === 'true' || f.overdue === 'true' ? [{ status: { in: [...OPEN_STATUSES] } }] : []),
      ...(f.overdue === 'true' ? [{ dueAt: { lt: now } }] : []),
      ...(f.mine === 'true' ? [{ OR: [{ registeredById: user.id }, { tests: { some: { recordedById: user.id } } }] }] : []),
      ...(f.q ? [{ OR: [
        { barcode: { contains: f.q.toUpperCase() } },
        { seizure: { seizureNumber: { contains: f.q, mode: 'insensitive' as const } } },
        { description: { contains: f.q, mode: 'insensitive' as const } },
      ] }] : []),
    ],
    ...(f.portCode ? { portCode: f.portCode } : {}),
    ...(f.priority ? { priority: f.priority as TPriority } : {}),
  };
  const [page, total] = await Promise.all([
    listPage(
      f.limit, f.cursor,
      (args) => db.sample.findMany({
        where,
        orderBy: ORDER[f.sort ?? 'worklist'],
        include: {
          classifications: { orderBy: { version: 'desc' }, take: 1, select: { category: true, level: true, version: true } },
          seizure: { select: { seizureNumber: true } },
        },
        ...args,
      }),
      async (id) => !!(await db.sample.findUnique({ where: { id }, select: { id: true } })),
    ),
    db.sample.count({ where }),
  ]);
  const tested = new Set((await db.test.findMany({ where: { recordedById: user.id, sampleId: { in: page.items.map((s) => s.id) } }, select: { sampleId: true }, distinct: ['sampleId'] })).map((t) => t.sampleId));
  return {
    items: page.items.map((s) => ({
      id: s.id,
      barcode: s.barcode,
      seizureId: s.seizureId,
      seizureNumber: s.seizure.seizureNumber,
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
      /** The caller recorded a test on it: someone else must review it. */
      testedByYou: tested.has(s.id),
    })),
    nextCursor: page.nextCursor,
    total,
  };
}
