import type { Db } from '../lib/db.ts';
import type { TObservableKind } from '../domain/closed-sets.ts';
import { readHeader, readRow, SEIZURE_COLUMNS, type TCellError, type TRow } from './columns.ts';
import type { TSheet } from './parse.ts';
import { textProblem } from '../http/input-rules.ts';

type TSample = { form: string; description: string; grossWeightG: number; netWeightG?: number; netWeightUncertaintyG?: number; sealNumber: string; priority?: string };
export type TPlanExhibit = { row: number; exhibitNumber: string; description: string; unitCount?: number; netWeightKg?: number; packaging?: string; sample?: TSample };
export type TPlanSeizure = {
  row: number;
  seizureNumber: string;
  portCode: string;
  seizedAt: string;
  conveyance?: string;
  subjectInCustody: boolean;
  controlledDeliveryPending?: boolean;
  narrative?: string;
  operationId?: string;
  /** Set when the seizure number is already registered: only its new exhibits are added. */
  existingId?: string;
  exhibits: TPlanExhibit[];
  observables: { kind: TObservableKind; value: string; qualifier?: string }[];
};
export type TImportPlan = { rows: number; skipped: number; seizures: TPlanSeizure[]; errors: TCellError[] };

const SEIZURE_KEYS = Object.keys(SEIZURE_COLUMNS) as (keyof typeof SEIZURE_COLUMNS)[];

/**
 * Reads and checks a whole manifest before anything is written: every bad cell as {row, column,
 * message}. Rows of one seizure number must agree on the seizure's fields. A seizure number already
 * registered keeps its record: rows for exhibits it already has are skipped (so the same file sent
 * again creates nothing), new exhibits are added to it.
 */
export async function planImport(db: Db, sheet: TSheet, now: Date): Promise<TImportPlan> {
  const { columns, errors } = readHeader(sheet.header);
  const rows: TRow[] = [];
  sheet.rows.forEach((cells, i) => {
    const named: Record<string, string> = {};
    columns.forEach((c, j) => c && (named[c] = cells[j] ?? ''));
    // The text rule of every request value (no NUL, no lone surrogate) holds for cells too.
    for (const [column, value] of Object.entries(named)) {
      const problem = textProblem(value);
      if (problem) errors.push({ row: i + 2, column, message: problem });
    }
    const r = readRow(i + 2, named);
    errors.push(...r.errors);
    if (r.value.values.seizureNumber) rows.push(r.value);
  });

  const groups = new Map<string, TRow[]>();
  for (const r of rows) groups.set(r.values.seizureNumber as string, [...(groups.get(r.values.seizureNumber as string) ?? []), r]);
  const ports = new Set((await db.port.findMany({ select: { code: true } })).map((p) => p.code));
  const opNames = [...new Set(rows.map((r) => r.values.operation as string | undefined).filter((x): x is string => !!x))];
  const ops = new Map((await db.operation.findMany({ where: { name: { in: opNames } }, select: { id: true, name: true } })).map((o) => [o.name, o.id]));
  const existing = new Map((await db.seizure.findMany({ where: { seizureNumber: { in: [...groups.keys()] } }, select: { id: true, seizureNumber: true, portCode: true } })).map((s) => [s.seizureNumber, s]));
  const known = new Set((await db.exhibit.findMany({ where: { seizureId: { in: [...existing.values()].map((s) => s.id) } }, select: { seizureId: true, exhibitNumber: true } })).map((e) => `${e.seizureId}|${e.exhibitNumber}`));

  let skipped = 0;
  const seizures: TPlanSeizure[] = [];
  for (const [number, group] of groups) {
    const first = group[0]!;
    const v = first.values;
    for (const r of group.slice(1)) {
      for (const k of SEIZURE_KEYS) {
        if (r.values[k] !== undefined && JSON.stringify(r.values[k]) !== JSON.stringify(v[k])) errors.push({ row: r.row, column: k, message: `differs from row ${first.row} for seizure ${number}` });
      }
    }
    if (v.portCode && !ports.has(v.portCode as string)) errors.push({ row: first.row, column: 'portCode', message: `no port ${v.portCode as string}` });
    if (v.seizedAt && new Date(v.seizedAt as string).getTime() > now.getTime() + 5 * 60_000) errors.push({ row: first.row, column: 'seizedAt', message: 'must not be in the future' });
    if (v.operation && !ops.has(v.operation as string)) errors.push({ row: first.row, column: 'operation', message: `no operation named ${v.operation as string}` });
    const prior = existing.get(number);
    if (prior && prior.portCode !== v.portCode) errors.push({ row: first.row, column: 'portCode', message: `seizure ${number} is registered at port ${prior.portCode}` });
    const seen = new Map<string, number>();
    const exhibits: TPlanExhibit[] = [];
    for (const r of group) {
      const n = r.values.exhibitNumber as string;
      if (n === undefined) continue;
      if (seen.has(n)) errors.push({ row: r.row, column: 'exhibitNumber', message: `exhibit ${n} of seizure ${number} is already on row ${seen.get(n)}` });
      seen.set(n, r.row);
      if (prior && known.has(`${prior.id}|${n}`)) {
        skipped++;
        continue;
      }
      exhibits.push(exhibitOf(r));
    }
    const observables = uniqueObservables(group);
    seizures.push({
      row: first.row, seizureNumber: number, portCode: v.portCode as string, seizedAt: v.seizedAt as string,
      ...(v.conveyance ? { conveyance: v.conveyance as string } : {}),
      subjectInCustody: (v.subjectInCustody as boolean | undefined) ?? false,
      ...(v.controlledDeliveryPending !== undefined ? { controlledDeliveryPending: v.controlledDeliveryPending as boolean } : {}),
      ...(v.narrative ? { narrative: v.narrative as string } : {}),
      ...(v.operation && ops.has(v.operation as string) ? { operationId: ops.get(v.operation as string)! } : {}),
      ...(prior ? { existingId: prior.id } : {}),
      exhibits,
      observables,
    });
  }
  errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  return { rows: sheet.rows.length, skipped, seizures: seizures.filter((s) => !s.existingId || s.exhibits.length), errors };
}

function exhibitOf(r: TRow): TPlanExhibit {
  const v = r.values;
  const opt = <T>(k: string) => (v[k] === undefined ? {} : { [k]: v[k] as T });
  return {
    row: r.row, exhibitNumber: v.exhibitNumber as string, description: v.exhibitDescription as string,
    ...opt<number>('unitCount'), ...opt<number>('netWeightKg'), ...opt<string>('packaging'),
    ...(v.sampleForm
      ? { sample: { form: v.sampleForm as string, description: v.sampleDescription as string, grossWeightG: v.sampleGrossWeightG as number, sealNumber: v.sealNumber as string,
          ...(v.sampleNetWeightG !== undefined ? { netWeightG: v.sampleNetWeightG as number } : {}),
          ...(v.sampleNetWeightUncertaintyG !== undefined ? { netWeightUncertaintyG: v.sampleNetWeightUncertaintyG as number } : {}),
          ...(v.priority ? { priority: v.priority as string } : {}) } }
      : {}),
  };
}

function uniqueObservables(group: TRow[]) {
  const seen = new Set<string>();
  return group.flatMap((r) => r.observables).filter((o) => {
    const k = `${o.kind}|${o.qualifier ?? ''}|${o.value}`;
    return seen.has(k) ? false : (seen.add(k), true);
  }).map(({ column: _c, ...o }) => o);
}
