import { z } from 'zod';
import { ZComponent } from '../classification/classification.schemas.ts';
import { isControlled } from '../domain/categories.rules.ts';
import { profileKeyOf } from '../domain/link-scoring.rules.ts';
import type { Tx } from '../lib/db.ts';
import { requestRelate } from './relate.request.ts';
import { intelligenceData } from './weights.ts';

/**
 * The sample's chemical profile from its latest classification (the released one once released, as
 * results are locked then): controlled components, adulterants and cutting agents (roles from
 * data/chemical-roles.json), and the latest purity a quantitative test gave. When the profile changed,
 * the seizure's related seizures are rescored. Called in the classification's transaction.
 */
export async function refreshChemicalProfile(
  tx: Tx,
  sample: { id: string; seizureId: string },
  c: { version: number; level: string; components: unknown },
  now: Date,
): Promise<void> {
  const { roles } = intelligenceData();
  const components = z.array(ZComponent).parse(c.components);
  const controlled = components.filter((x) => isControlled(x.category)).map((x) => x.substanceId).sort();
  const other = components.filter((x) => !isControlled(x.category)).map((x) => x.substanceId);
  const adulterants = other.filter((id) => roles.roles[id] === 'ADULTERANT').sort();
  const cuttingAgents = other.filter((id) => roles.roles[id] !== 'ADULTERANT').sort();
  const key = profileKeyOf(controlled, adulterants);
  const tests = await tx.test.findMany({ where: { sampleId: sample.id }, select: { id: true, purityPct: true, correctsTestId: true }, orderBy: { recordedAt: 'asc' } });
  const corrected = new Set(tests.map((t) => t.correctsTestId).filter(Boolean));
  const purity = tests.filter((t) => !corrected.has(t.id) && t.purityPct !== null).at(-1)?.purityPct ?? null;
  const before = await tx.chemicalProfile.findUnique({ where: { sampleId: sample.id }, select: { profileKey: true, purityPct: true } });
  if (key) {
    const data = { seizureId: sample.seizureId, profileKey: key, controlled, adulterants, cuttingAgents, purityPct: purity, basis: c.level, classificationVersion: c.version, updatedAt: now };
    await tx.chemicalProfile.upsert({ where: { sampleId: sample.id }, create: { sampleId: sample.id, ...data }, update: data });
  } else {
    await tx.chemicalProfile.deleteMany({ where: { sampleId: sample.id } });
  }
  // Only a changed profile can change a score (a new version with the same mixture and purity cannot).
  if ((before?.profileKey ?? null) !== key || (before?.purityPct ?? null) !== (key ? purity : null)) await requestRelate(tx, sample.seizureId, now);
}
