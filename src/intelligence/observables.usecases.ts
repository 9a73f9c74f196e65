import { appendAudit } from '../audit/audit.ts';
import type { AuthUser } from '../auth/sessions.ts';
import { normalizeObservable } from '../domain/observables.rules.ts';
import type { Db, Tx } from '../lib/db.ts';
import { AppError, conflict } from '../lib/errors.ts';
import type { TExhibitBody, TObservableBody } from './intel.schemas.ts';

const actor = (u: AuthUser) => ({ id: u.id, role: u.role });

export type TBadField = { path: string; message: string };

/** Normalises a batch of observables; every value its kind's rules refuse is reported, none is stored. */
export function normalizeAll(inputs: TObservableBody[], pathOf: (i: number) => string) {
  const errors: TBadField[] = [];
  const values = inputs.map((o, i) => {
    const r = normalizeObservable(o);
    if (!r.ok) errors.push({ path: pathOf(i), message: `${o.kind.toLowerCase()}: ${r.message}` });
    return r.ok ? { ...o, ...r.value } : null;
  });
  return { values, errors };
}

/**
 * Adds observables to a seizure (one transaction, audited). The same value twice on a seizure is one
 * observable: a repeat is answered with the existing row and changes nothing.
 */
export async function addObservables(tx: Tx, seizureId: string, inputs: TObservableBody[], user: AuthUser, now: Date, pathOf = (i: number) => `body.observables.${i}`) {
  const { values, errors } = normalizeAll(inputs, pathOf);
  if (errors.length) throw new AppError('VALIDATION_FAILED', 'Invalid observable', errors);
  const sampleIds = [...new Set(inputs.map((o) => o.sampleId).filter((x): x is string => !!x))];
  if (sampleIds.length) {
    const owned = await tx.sample.count({ where: { id: { in: sampleIds }, seizureId } });
    if (owned !== sampleIds.length) throw new AppError('VALIDATION_FAILED', 'Sample not in this seizure', [{ path: 'body.sampleId', message: 'must be a sample of this seizure' }]);
  }
  const out = [];
  for (const v of values) {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Observable" (id, "seizureId", "sampleId", kind, raw, normalized, valid, "createdById", "createdAt")
      VALUES (gen_random_uuid(), ${seizureId}::uuid, ${v!.sampleId ?? null}::uuid, ${v!.kind}, ${v!.value}, ${v!.normalized}, ${v!.valid}, ${user.id}::uuid, ${now})
      ON CONFLICT ("seizureId", kind, normalized) DO NOTHING RETURNING id`;
    if (row) {
      const created = (await tx.observable.findUnique({ where: { id: row.id } }))!;
      await appendAudit(tx, { actor: actor(user), action: 'observable.add', entityType: 'Observable', entityId: created.id, after: created }, now);
      out.push({ ...observableView(created), created: true });
    } else {
      const existing = (await tx.observable.findUnique({ where: { seizureId_kind_normalized: { seizureId, kind: v!.kind, normalized: v!.normalized } } }))!;
      out.push({ ...observableView(existing), created: false });
    }
  }
  return out;
}

export async function addExhibit(tx: Tx, seizureId: string, input: TExhibitBody, user: AuthUser, now: Date) {
  if (await tx.exhibit.findUnique({ where: { seizureId_exhibitNumber: { seizureId, exhibitNumber: input.exhibitNumber } } })) {
    throw conflict(`Exhibit ${input.exhibitNumber} already exists on this seizure`);
  }
  const e = await tx.exhibit.create({
    data: { seizureId, exhibitNumber: input.exhibitNumber, description: input.description, unitCount: input.unitCount ?? null, netWeightKg: input.netWeightKg ?? null, packaging: input.packaging ?? null, createdById: user.id, createdAt: now },
  });
  await appendAudit(tx, { actor: actor(user), action: 'exhibit.add', entityType: 'Exhibit', entityId: e.id, after: e }, now);
  return exhibitView(e);
}

export const observableView = (o: { id: string; kind: string; raw: string; normalized: string; valid: boolean | null; sampleId: string | null; createdAt: Date }) => ({
  id: o.id, kind: o.kind, raw: o.raw, normalized: o.normalized, valid: o.valid, sampleId: o.sampleId, createdAt: o.createdAt,
});

export const exhibitView = (e: { id: string; exhibitNumber: string; description: string; unitCount: number | null; netWeightKg: number | null; packaging: string | null; createdAt: Date }) => ({
  id: e.id, exhibitNumber: e.exhibitNumber, description: e.description, unitCount: e.unitCount, netWeightKg: e.netWeightKg, packaging: e.packaging, createdAt: e.createdAt,
});

/** The intelligence a seizure carries: exhibits, observables and the operations it is tagged to. */
export async function seizureIntel(db: Db | Tx, seizureId: string) {
  const [exhibits, observables, ops] = await Promise.all([
    db.exhibit.findMany({ where: { seizureId }, orderBy: { exhibitNumber: 'asc' } }),
    db.observable.findMany({ where: { seizureId }, orderBy: [{ kind: 'asc' }, { createdAt: 'asc' }] }),
    db.operationSeizure.findMany({ where: { seizureId }, include: { operation: { select: { id: true, name: true } } } }),
  ]);
  return {
    exhibits: exhibits.map(exhibitView),
    observables: observables.map(observableView),
    operations: ops.map((o) => ({ id: o.operation.id, name: o.operation.name, taggedBy: o.taggedBy })),
  };
}
