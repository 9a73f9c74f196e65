import type { AuthUser } from '../auth/sessions.ts';
import type { Tx } from '../lib/db.ts';
import { conflict } from '../lib/errors.ts';
import { enqueue } from '../queue/outbox.ts';
import { tagSeizure } from '../operations/tagging.ts';
import { addExhibit, addObservables, seizureIntel } from './observables.usecases.ts';
import type { TExhibitBody, TObservableBody } from './intel.schemas.ts';

export type TRegistrationIntel = { exhibits?: TExhibitBody[]; observables?: Omit<TObservableBody, 'sampleId'>[]; operationIds?: string[] };

type TSeizureRef = { id: string; portCode: string; seizedAt: Date };

/**
 * Before the new seizure's audit entry (which serialises writers until commit, so work is kept out of
 * it): tags it to operations, named or by their rules, and asks for its related seizures (the row is
 * created with `relateRequestedAt` set). Returns how many operations took it.
 */
export async function prepareRegistration(tx: Tx, s: TSeizureRef, input: TRegistrationIntel, user: AuthUser, now: Date): Promise<number> {
  const numbers = (input.exhibits ?? []).map((e) => e.exhibitNumber);
  if (new Set(numbers).size !== numbers.length) throw conflict('Two exhibits share an exhibit number');
  const tagged = await tagSeizure(tx, s, input.operationIds ?? [], user.id, now);
  // Without observables a new seizure shares nothing yet: its first classification asks instead.
  if (input.observables?.length) await enqueue(tx, 'relate', { seizureId: s.id });
  return tagged;
}

/** After the seizure's audit entry: its exhibits and observables (each audited), and the seizure's intelligence view. */
export async function attachAtRegistration(tx: Tx, s: TSeizureRef, input: TRegistrationIntel, tagged: number, user: AuthUser, now: Date) {
  const exhibits = [];
  for (const e of input.exhibits ?? []) exhibits.push(await addExhibit(tx, s.id, e, user, now));
  const observables = input.observables?.length ? await addObservables(tx, s.id, input.observables, user, now) : [];
  // A plain registration (the contract's body) costs no further reads.
  if (!tagged && !exhibits.length && !observables.length) return { exhibits: [], observables: [], operations: [] };
  return seizureIntel(tx, s.id);
}
