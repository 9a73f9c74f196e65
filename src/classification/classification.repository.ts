import type { Db, Tx } from '../lib/db.ts';
import { ZClassificationJson } from './classification.schemas.ts';

type TRow = { components: unknown; thresholds: unknown; warnings: unknown; rationale: unknown };

/** A stored classification with its JSON columns parsed (ZClassificationJson). */
export function parseClassification<R extends TRow>(row: R): Omit<R, keyof TRow> & ReturnType<typeof ZClassificationJson.parse> {
  const json = ZClassificationJson.parse({ components: row.components, thresholds: row.thresholds, warnings: row.warnings, rationale: row.rationale });
  return { ...row, ...json };
}

/** The sample's current result: its highest version, or null before the first classification. */
export async function latestClassification(db: Db | Tx, sampleId: string) {
  const row = await db.classification.findFirst({ where: { sampleId }, orderBy: { version: 'desc' } });
  return row ? parseClassification(row) : null;
}

export async function classificationVersion(db: Db | Tx, sampleId: string, version: number) {
  const row = await db.classification.findFirst({ where: { sampleId, version } });
  return row ? parseClassification(row) : null;
}
