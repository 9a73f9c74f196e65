// The seizure a sample comes from, as the lab knows it: its exhibits, observables and operations. A
// technician adds what is seen later on (an imprint found when the bag is opened): an observable of
// the seizure or of this sample only, or an exhibit. Each addition rescores the related seizures.
import { api } from '../../core/api.js';
import { card, h } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { actions, field, input, numberInput, onSubmit, select, showSaved, values } from '../../widgets/form.js';
import { exhibitText, intelList, observableText } from '../../widgets/intel.js';
import { OBSERVABLE_KINDS } from '../../widgets/kinds.js';

function observableForm(sample, reload, note) {
  const form = h('form', { class: 'fields', novalidate: true, 'aria-label': 'Add an observable' },
    field('kind', 'Observable kind', select(OBSERVABLE_KINDS.map(([value, text]) => ({ value, text })))),
    field('value', 'Value', input({ type: 'text', required: true, maxlength: 300 })),
    field('qualifier', 'State or country (plates, phones)', input({ type: 'text', size: 4, placeholder: 'SON, MX' })),
    field('thisSample', 'Seen on this sample only', input({ type: 'checkbox' })),
    actions('Add observable'));
  onSubmit(form, async () => {
    const { thisSample, ...body } = values(form);
    const o = await api(`/seizures/${sample.seizureId}/observables`, { method: 'POST', body: { ...body, ...(thisSample ? { sampleId: sample.id } : {}) } });
    await reload({ intel: { observable: `${o.created === false ? 'Already recorded' : 'Added'}: ${observableText(o)}.` } });
  });
  if (note) showSaved(form, note);
  return form;
}

function exhibitForm(sample, reload, note) {
  const form = h('form', { class: 'fields', novalidate: true, 'aria-label': 'Add an exhibit' },
    field('exhibitNumber', 'Exhibit number', input({ type: 'text', required: true, size: 6 })),
    field('description', 'Exhibit description', input({ type: 'text', required: true })),
    field('unitCount', 'Units', numberInput({ integer: true, min: 1 })),
    field('netWeightKg', 'Net weight (kg)', numberInput({ min: 0 })),
    field('packaging', 'Packaging', input({ type: 'text' })),
    actions('Add exhibit'));
  onSubmit(form, async () => {
    let e;
    try {
      e = await api(`/seizures/${sample.seizureId}/exhibits`, { method: 'POST', body: values(form) });
    } catch (err) {
      // An exhibit number the seizure already has (409): said next to the number.
      if (err.status === 409) throw Object.assign(err, { details: [{ path: 'exhibitNumber', message: err.message }], message: 'Nothing was added.' });
      throw err;
    }
    await reload({ intel: { exhibit: `Added exhibit ${exhibitText(e)}.` } });
  });
  if (note) showSaved(form, note);
  return form;
}

/** `intel`: GET /seizures/:id/observables, or null when the caller may not read the seizure. */
export function seizureCard(sample, intel, reload, notes = {}) {
  if (!intel) return null;
  const forms = state.me.role === 'TECHNICIAN'
    ? [h('h3', {}, 'Add an observable'), observableForm(sample, reload, notes.observable), h('h3', {}, 'Add an exhibit'), exhibitForm(sample, reload, notes.exhibit)]
    : [];
  const exhibit = intel.exhibits.find((e) => e.id === sample.exhibitId);
  return card(h('h2', {}, `Seizure ${sample.seizureNumber}`),
    h('p', { class: 'muted' }, exhibit ? `This sample represents exhibit ${exhibitText(exhibit)}.` : 'This sample names no exhibit.'),
    intelList(intel), forms);
}
