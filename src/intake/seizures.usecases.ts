import type { Prisma } from '../generated/prisma/client.ts';
import { listCorrections } from '../corrections/corrections.repository.ts';
import { seizureIntel } from '../intelligence/observables.usecases.ts';
import { listPage } from '../http/cursor.ts';
import type { Db } from '../lib/db.ts';
import { notFound } from '../lib/errors.ts';
import { OPEN_STATUSES, type TSampleStatus } from '../domain/sample-lifecycle.rules.ts';
import { seizureView } from './intake.usecases.ts';
import type { TSeizureListQuery } from './intake.schemas.ts';

/** A day given without a time covers the whole day (UTC): "to 2026-11-30" includes that day. */
const dayStart = (d: string) => new Date(d.length === 10 ? `${d}T00:00:00Z` : d);
const dayEnd = (d: string) => (d.length === 10 ? new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000) : new Date(d));

/**
 * Seizures, newest first: by number (any part of it, any case), port and the day seized. Each with
 * how many samples it has and how many of those are still open.
 */
export async function listSeizures(db: Db, f: TSeizureListQuery) {
  const where: Prisma.SeizureWhereInput = {
    ...(f.q ? { seizureNumber: { contains: f.q, mode: 'insensitive' } } : {}),
    ...(f.portCode ? { portCode: f.portCode } : {}),
    ...(f.from || f.to ? { seizedAt: { ...(f.from ? { gte: dayStart(f.from) } : {}), ...(f.to ? { lt: dayEnd(f.to) } : {}) } } : {}),
  };
  const [page, total] = await Promise.all([
    listPage(
      f.limit, f.cursor,
      (args) => db.seizure.findMany({ where, orderBy: [{ seizedAt: 'desc' }, { id: 'desc' }], ...args }),
      async (id) => !!(await db.seizure.findUnique({ where: { id }, select: { id: true } })),
    ),
    db.seizure.count({ where }),
  ]);
  const ids = page.items.map((s) => s.id);
  const counts = await db.sample.groupBy({ by: ['seizureId', 'status'], where: { seizureId: { in: ids } }, _count: { _all: true } });
  const count = (id: string, open: boolean) => counts.filter((c) => c.seizureId === id && (!open || OPEN_STATUSES.includes(c.status as TSampleStatus))).reduce((n, c) => n + c._count._all, 0);
  return { items: page.items.map((s) => ({ ...seizureView(s), samples: count(s.id, false), openSamples: count(s.id, true) })), nextCursor: page.nextCursor, total };
}

/** A seizure with what hangs off it: exhibits, observables, operations, its samples in item order, its corrections. */
export async function seizureDetail(db: Db, id: string) {
  const s = await db.seizure.findUnique({ where: { id } });
  if (!s) throw notFound('Seizure');
  const samples = await db.sample.findMany({ where: { seizureId: id }, orderBy: { itemNumber: 'asc' } });
  return {
    ...seizureView(s),
    ...(await seizureIntel(db, s.id)),
    samples: samples.map((x) => ({
      id: x.id, barcode: x.barcode, itemNumber: x.itemNumber, form: x.form, description: x.description, grossWeightG: x.grossWeightG, netWeightG: x.netWeightG,
      netWeightUncertaintyG: x.netWeightUncertaintyG, priority: x.priority, status: x.status, registeredAt: x.registeredAt, dueAt: x.dueAt, exhibitId: x.exhibitId,
      classification: x.category ? { category: x.category, level: x.level } : null,
    })),
    corrections: await listCorrections(db, 'Seizure', s.id),
  };
}
