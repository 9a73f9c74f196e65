import type { AuthUser } from '../auth/sessions.ts';
import type { TSlaPolicy } from '../domain/priority.rules.ts';
import { ZCreateSample, ZCreateSeizure } from '../intake/intake.schemas.ts';
import { createSample, createSeizure } from '../intake/intake.usecases.ts';
import { addExhibit, addObservables } from '../intelligence/observables.usecases.ts';
import { requestRelate } from '../intelligence/relate.request.ts';
import type { Tx } from '../lib/db.ts';
import { insertTag } from '../operations/tagging.ts';
import type { TPlanSeizure } from './plan.ts';

export type TImportResult = { seizureIds: string[]; sampleIds: string[]; exhibits: number };

/**
 * Writes a checked plan through the same use cases as the API (audit, custody, outbox, triage and
 * relate jobs), in the caller's one transaction: all of it or nothing. `progress` hears each seizure.
 */
export async function executeImport(tx: Tx, plan: TPlanSeizure[], user: AuthUser, now: Date, sla: TSlaPolicy, progress?: (done: number) => Promise<void>): Promise<TImportResult> {
  const out: TImportResult = { seizureIds: [], sampleIds: [], exhibits: 0 };
  let done = 0;
  for (const s of plan) {
    const exhibits = s.exhibits.map(({ row: _r, sample: _s, ...e }) => e);
    let seizureId: string;
    let exhibitIds: Map<string, string>;
    if (s.existingId) {
      seizureId = s.existingId;
      exhibitIds = new Map();
      for (const e of exhibits) exhibitIds.set(e.exhibitNumber, (await addExhibit(tx, seizureId, e, user, now)).id);
      if (s.observables.length) await addObservables(tx, seizureId, s.observables, user, now);
      if (s.operationId) await insertTag(tx, s.operationId, seizureId, 'REGISTRATION', user.id, now);
      await requestRelate(tx, seizureId, now);
    } else {
      const created = await createSeizure(tx, ZCreateSeizure.parse({
        portCode: s.portCode, seizedAt: s.seizedAt, seizureNumber: s.seizureNumber, subjectInCustody: s.subjectInCustody,
        ...(s.conveyance ? { conveyance: s.conveyance } : {}), ...(s.controlledDeliveryPending !== undefined ? { controlledDeliveryPending: s.controlledDeliveryPending } : {}),
        ...(s.narrative ? { narrative: s.narrative } : {}), exhibits, observables: s.observables, ...(s.operationId ? { operationIds: [s.operationId] } : {}),
      }), user, now);
      seizureId = created.id;
      exhibitIds = new Map(created.exhibits.map((e) => [e.exhibitNumber, e.id]));
      out.seizureIds.push(seizureId);
    }
    out.exhibits += exhibits.length;
    for (const e of s.exhibits) {
      if (!e.sample) continue;
      const sample = await createSample(tx, ZCreateSample.parse({ seizureId, exhibitId: exhibitIds.get(e.exhibitNumber), ...e.sample }), user, now, sla);
      out.sampleIds.push(sample.id);
    }
    await progress?.(++done);
  }
  return out;
}
