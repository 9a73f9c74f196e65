// Registration: a seizure with its exhibits and observables, then its samples, each with its label.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { actions, field, input, numberInput, onSubmit, select, showSaved, values } from '../../widgets/form.js';
import { exhibitRows, observableRows, recordedIntel } from './intake-intel.js';

const FORMS = ['POWDER', 'TABLET', 'CRYSTAL', 'LIQUID', 'PLANT', 'RESIDUE', 'OTHER'];
const CONVEYANCES = ['PASSENGER_VEHICLE', 'COMMERCIAL_TRUCK', 'PEDESTRIAN', 'BUS', 'RAIL', 'AIR', 'MAIL', 'EXPRESS_CONSIGNMENT', 'OTHER'];

export async function intake() {
  const ports = await api('/ports');
  const portOptions = ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` }));
  const out = h('div');
  const exhibits = exhibitRows();
  const observables = observableRows();
  const seizureForm = h('form', { class: 'fields', novalidate: true },
    field('portCode', 'Port of entry', select(portOptions)),
    field('seizedAt', 'Seized at (local time)', input({ type: 'datetime-local', required: true, value: new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) })),
    field('seizureNumber', 'Seizure number (blank: assigned)', input({ type: 'text' })),
    field('conveyance', 'Conveyance', select(CONVEYANCES)),
    field('subjectInCustody', 'Subject in custody', input({ type: 'checkbox' })),
    field('controlledDeliveryPending', 'Controlled delivery pending', input({ type: 'checkbox' })),
    field('narrative', 'Narrative', h('textarea', { rows: 2 })),
    h('fieldset', { class: 'wide' }, h('legend', {}, 'Exhibits (what was seized, as counted and weighed)'), exhibits.element),
    h('fieldset', { class: 'wide' }, h('legend', {}, 'Observables (what was seen on it)'), observables.element),
    actions('Open seizure'));
  onSubmit(seizureForm, async () => {
    const body = { ...values(seizureForm), exhibits: exhibits.read(), observables: observables.read() };
    for (const k of ['exhibits', 'observables']) if (!body[k].length) delete body[k];
    const seizure = await api('/seizures', { method: 'POST', body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    seizureForm.querySelectorAll('input,select,textarea,button').forEach((el) => (el.disabled = true));
    showSaved(seizureForm, `Seizure ${seizure.seizureNumber} opened at port ${seizure.portCode}. Register its samples below.`, recordedIntel(seizure));
    out.replaceChildren(sampleForm(seizure));
  });
  return h('section', {}, h('h1', {}, 'New seizure'), card(h('h2', {}, '1. Seizure'), seizureForm), out);
}

const exhibitText = (e) => `${e.exhibitNumber} — ${e.description}${e.netWeightKg != null ? ` (${e.netWeightKg} kg)` : ''}`;

function sampleForm(seizure) {
  const created = h('ul');
  const exhibits = seizure.exhibits ?? [];
  const form = h('form', { class: 'fields', novalidate: true },
    exhibits.length
      ? field('exhibitId', 'Exhibit this sample represents', select([{ value: '', text: 'none' }, ...exhibits.map((e) => ({ value: e.id, text: exhibitText(e) }))]))
      : null,
    field('form', 'Form', select(FORMS)),
    field('description', 'Description', input({ type: 'text', required: true, placeholder: 'white powder in knotted bag' })),
    field('grossWeightG', 'Gross weight (g)', numberInput({ min: 0, required: true })),
    field('netWeightG', 'Net weight (g)', numberInput({ min: 0 })),
    field('netWeightUncertaintyG', 'Net weight uncertainty ± (g)', numberInput({ min: 0 })),
    field('unitCount', 'Units (tablets, bags)', numberInput({ integer: true, min: 1 })),
    field('sealNumber', 'Seal number', input({ type: 'text', required: true })),
    field('markings', 'Markings', input({ type: 'text' })),
    field('color', 'Colour', input({ type: 'text' })),
    field('priority', 'Priority (blank: from the seizure)', select([{ value: '', text: 'automatic' }, 'URGENT', 'PRIORITY', 'ROUTINE'])),
    actions('Register sample'));
  onSubmit(form, async () => {
    const s = await api('/samples', { method: 'POST', body: { seizureId: seizure.id, ...values(form) }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    const exhibit = exhibits.find((e) => e.id === s.exhibitId);
    const summary = () => [h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode), ` — item ${s.itemNumber}${exhibit ? `, exhibit ${exhibit.exhibitNumber}` : ''}, ${label(s.priority)}, due ${fmtTime(s.dueAt)} · `,
      h('a', { href: `/api/v1/samples/${s.id}/label`, target: '_blank', rel: 'noopener', 'data-label': s.id }, 'Print label')];
    created.append(h('li', {}, summary()));
    form.reset();
    form.elements.namedItem('description').focus({ preventScroll: true });
    showSaved(form, 'Registered ', summary(), '. The form is ready for the next item.');
  });
  return card(h('h2', {}, `2. Samples of seizure ${seizure.seizureNumber}`), form, h('h3', {}, 'Registered'), created);
}
