// Correcting a registered sample (weights, count, description, seal, priority, and its seizure's
// custody flags) with a reason, its correction history, and the prompt to reprint a label whose
// printed facts — weights, priority, form, seizure, port, hazard mark — changed.
import { api } from '../../core/api.js';
import { card, h, label } from '../../core/dom.js';
import { correctionForm, correctionHistory, shown } from '../../widgets/correction.js';
import { showSaved } from '../../widgets/form.js';

const FORMS = ['POWDER', 'TABLET', 'CRYSTAL', 'LIQUID', 'PLANT', 'RESIDUE', 'OTHER'];
export const SAMPLE_FIELDS = {
  grossWeightG: 'Gross weight (g)', netWeightG: 'Net weight (g)', netWeightUncertaintyG: 'Net weight uncertainty ± (g)', unitCount: 'Units',
  form: 'Form', description: 'Description', markings: 'Markings', color: 'Colour', sealNumber: 'Seal number', priority: 'Priority', dueAt: 'Due',
  portCode: 'Port', subjectInCustody: 'Subject in custody', controlledDeliveryPending: 'Controlled delivery pending',
};
const PRINTED = { grossWeightG: 'gross weight', netWeightG: 'net weight', netWeightUncertaintyG: 'weight uncertainty', form: 'form', priority: 'priority', portCode: 'port', seizureNumber: 'seizure number' };

/** Samples whose label is out of date since a correction on this page: id → what changed. */
const stale = new Map();
/** The hazard mark a sample's label had when one of its tests was corrected here: id → true/false. */
const hazardAtCorrection = new Map();

/** Remembers that a label no longer matches the record (called after a correction answers `reprint`). */
export function labelOutdated(sampleId, what) {
  stale.set(sampleId, [...new Set([...(stale.get(sampleId) ?? []), ...what])]);
}
/** A test of the sample is being corrected: a re-classification may add or remove the hazard mark. */
export const watchHazard = (sample) => hazardAtCorrection.set(sample.id, sample.labelHazard);

/** The prompt to reprint the label, when a correction changed what it prints; null otherwise. */
export function reprintPrompt(s) {
  if (hazardAtCorrection.has(s.id) && hazardAtCorrection.get(s.id) !== s.labelHazard) {
    labelOutdated(s.id, [s.labelHazard ? 'the fentanyl hazard mark is now needed' : 'the fentanyl hazard mark no longer applies']);
    hazardAtCorrection.delete(s.id);
  }
  const what = stale.get(s.id);
  if (!what?.length) return null;
  const box = h('div', { class: 'notice reprint', role: 'status' },
    h('strong', {}, 'Reprint the label. '), `Since it was printed, a correction changed: ${what.join(', ')}. `,
    h('a', { class: 'button', href: `/api/v1/samples/${s.id}/label`, target: '_blank', rel: 'noopener', onclick: () => {
      stale.delete(s.id);
      setTimeout(() => box.remove(), 0);
    } }, 'Reprint label'));
  return box;
}

const words = (changes) => changes.map((c) => `${(SAMPLE_FIELDS[c.field] ?? label(c.field)).toLowerCase()} ${shown(c.before)} → ${shown(c.after)}`).join('; ');

/** The correction card of an open sample, for technicians; `reload(note)` rebuilds the page. */
export async function sampleCorrectionCard(s, reload, note) {
  const seizure = await api(`/seizures/${s.seizureId}`);
  const fields = [
    { name: 'grossWeightG', text: SAMPLE_FIELDS.grossWeightG, kind: 'number', value: s.grossWeightG },
    { name: 'netWeightG', text: SAMPLE_FIELDS.netWeightG, kind: 'number', value: s.netWeightG, nullable: true },
    { name: 'netWeightUncertaintyG', text: SAMPLE_FIELDS.netWeightUncertaintyG, kind: 'number', value: s.netWeightUncertaintyG, nullable: true },
    { name: 'unitCount', text: SAMPLE_FIELDS.unitCount, kind: 'number', integer: true, value: s.unitCount, nullable: true },
    { name: 'form', text: 'Form', kind: 'select', options: FORMS, value: s.form },
    { name: 'description', text: 'Description', kind: 'text', value: s.description },
    { name: 'markings', text: 'Markings', kind: 'text', value: s.markings, nullable: true },
    { name: 'color', text: 'Colour', kind: 'text', value: s.color, nullable: true },
    { name: 'sealNumber', text: 'Seal number', kind: 'text', value: s.sealNumber },
    { name: 'priority', text: 'Priority', kind: 'select', options: ['URGENT', 'PRIORITY', 'ROUTINE'], value: s.priority, hint: 'moves the due date' },
    { name: 'subjectInCustody', text: `Subject in custody (seizure ${seizure.seizureNumber})`, kind: 'check', value: seizure.subjectInCustody },
    { name: 'controlledDeliveryPending', text: `Controlled delivery pending (seizure ${seizure.seizureNumber})`, kind: 'check', value: seizure.controlledDeliveryPending },
  ];
  const form = correctionForm({
    fields,
    submitText: 'Save correction',
    save: async (changes, reason) => {
      const r = await api(`/samples/${s.id}/corrections`, { method: 'POST', body: { changes, reason } });
      for (const x of r.reprint) labelOutdated(x.sampleId, [...r.changes, ...r.seizureChanges].map((c) => PRINTED[c.field]).filter(Boolean));
      const others = r.otherSamples.length ? ` Also on this seizure: ${r.otherSamples.map((o) => `${o.barcode} ${words(o.changes)}`).join('; ')}.` : '';
      await reload({ correction: `Corrected: ${words([...r.changes, ...r.seizureChanges])}.${others}` });
    },
  });
  if (note) showSaved(form, note);
  return card(h('h2', {}, 'Corrections'),
    correctionHistory(s.corrections, SAMPLE_FIELDS),
    h('details', { open: !!note || undefined }, h('summary', {}, 'Correct this sample\'s record'),
      h('p', { class: 'muted' }, 'Change only what is wrong. The old values stay on record with your reason. A corrected weight re-evaluates the 21 U.S.C. 841 threshold flags.'),
      form));
}
