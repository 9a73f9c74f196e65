// A seizure's page: what it is, its exhibits and samples, a sample added to it later, and its
// reason-logged corrections (the samples follow where they depend on it: port, automatic priority).
import { api } from '../../core/api.js';
import { card, debounce, fmtTime, h, label } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { correctionForm, correctionHistory, shown } from '../../widgets/correction.js';
import { showSaved } from '../../widgets/form.js';
import { categoryName, levelName, loadNames, statusName } from '../../widgets/names.js';
import { dueText } from '../../widgets/sla.js';
import { sampleForm } from './intake.js';
import { labelOutdated, SAMPLE_FIELDS } from './sample-corrections.js';

const CONVEYANCES = ['PASSENGER_VEHICLE', 'COMMERCIAL_TRUCK', 'PEDESTRIAN', 'BUS', 'RAIL', 'AIR', 'MAIL', 'EXPRESS_CONSIGNMENT', 'OTHER'];
const FIELDS = { portCode: 'Port of entry', seizedAt: 'Seized at', seizureNumber: 'Seizure number', conveyance: 'Conveyance', subjectInCustody: 'Subject in custody', controlledDeliveryPending: 'Controlled delivery pending', narrative: 'Narrative' };
const PRINTED = { seizureNumber: 'seizure number', portCode: 'port', priority: 'priority' };

function samplesTable(z) {
  if (!z.samples.length) return h('p', { class: 'muted' }, 'No samples registered yet.');
  return h('table', {}, h('thead', {}, h('tr', {}, ['Item', 'Barcode', 'Form', 'Description', 'Weight (g)', 'Priority', 'Status', 'Due', 'Classification', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, z.samples.map((s) => h('tr', { 'data-barcode': s.barcode },
      h('td', {}, s.itemNumber), h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, label(s.form)), h('td', {}, s.description),
      h('td', {}, `gross ${s.grossWeightG}${s.netWeightG != null ? `, net ${s.netWeightG}${s.netWeightUncertaintyG != null ? ` ± ${s.netWeightUncertaintyG}` : ''}` : ''}`),
      h('td', {}, h('span', { class: `tag ${s.priority}` }, s.priority)), h('td', {}, statusName(s.status)), h('td', {}, dueText(s)),
      h('td', {}, s.classification ? `${categoryName(s.classification.category)} (${levelName(s.classification.level)})` : '—'),
      h('td', {}, h('a', { href: `/api/v1/samples/${s.id}/label`, target: '_blank', rel: 'noopener' }, 'Label'))))));
}

const exhibitsTable = (z) => (z.exhibits.length
  ? h('table', {}, h('thead', {}, h('tr', {}, ['Exhibit', 'Description', 'Units', 'Net kg'].map((t) => h('th', {}, t)))),
    h('tbody', {}, z.exhibits.map((e) => h('tr', {}, h('td', {}, e.exhibitNumber), h('td', {}, e.description), h('td', {}, e.unitCount ?? '—'), h('td', {}, e.netWeightKg ?? '—')))))
  : h('p', { class: 'muted' }, 'No exhibits recorded.'));

function correctionCard(z, ports, reload, note) {
  const form = correctionForm({
    fields: [
      { name: 'seizureNumber', text: FIELDS.seizureNumber, kind: 'text', value: z.seizureNumber },
      { name: 'portCode', text: FIELDS.portCode, kind: 'select', options: ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` })), value: z.portCode },
      { name: 'seizedAt', text: 'Seized at (local time)', kind: 'datetime', value: new Date(z.seizedAt).toISOString() },
      { name: 'conveyance', text: FIELDS.conveyance, kind: 'select', options: [{ value: '', text: '—' }, ...CONVEYANCES.map((c) => ({ value: c, text: label(c) }))], value: z.conveyance, nullable: true },
      { name: 'subjectInCustody', text: FIELDS.subjectInCustody, kind: 'check', value: z.subjectInCustody, hint: 'samples with the automatic priority follow' },
      { name: 'controlledDeliveryPending', text: FIELDS.controlledDeliveryPending, kind: 'check', value: z.controlledDeliveryPending },
      { name: 'narrative', text: FIELDS.narrative, kind: 'textarea', value: z.narrative, nullable: true },
    ],
    save: async (changes, reason) => {
      const r = await api(`/seizures/${z.id}/corrections`, { method: 'POST', body: { changes, reason } });
      for (const x of r.reprint) labelOutdated(x.sampleId, [...r.changes, ...(r.samples.find((s) => s.sampleId === x.sampleId)?.changes ?? [])].map((c) => PRINTED[c.field]).filter(Boolean));
      const followed = r.samples.filter((s) => s.changes.some((c) => c.field !== 'seizureNumber'));
      await reload({ correction: `Corrected: ${r.changes.map((c) => `${FIELDS[c.field].toLowerCase()} ${shown(c.before)} → ${shown(c.after)}`).join('; ')}.`
        + (followed.length ? ` Samples that followed: ${followed.map((s) => `${s.barcode} (${s.changes.map((c) => (SAMPLE_FIELDS[c.field] ?? c.field).toLowerCase()).join(', ')})`).join('; ')}.` : ''),
      reprint: r.reprint });
    },
  });
  if (note) showSaved(form, note);
  return card(h('h2', {}, 'Corrections'), correctionHistory(z.corrections, FIELDS),
    h('details', { open: !!note || undefined }, h('summary', {}, 'Correct this seizure\'s record'),
      h('p', { class: 'muted' }, 'Change only what is wrong; the old values stay on record with your reason. Its samples follow a new port, and those with the automatic priority follow the custody flags.'), form));
}

/** The labels to reprint after a correction here: each sample's barcode with its label. */
const reprintNotice = (list) => (list?.length ? h('div', { class: 'notice reprint', role: 'status' }, h('strong', {}, 'Reprint the labels. '), 'A correction changed what they print: ',
  list.map((x, i) => [i ? ', ' : '', h('a', { href: `/api/v1/samples/${x.sampleId}/label`, target: '_blank', rel: 'noopener' }, `label of ${x.barcode}`)]), '.') : null);

export async function seizurePage(id) {
  await loadNames();
  const isTech = state.me.role === 'TECHNICIAN';
  const ports = await api('/ports');
  const root = h('section');
  const samples = h('div');
  let notes = {};
  let adding = null;
  const reload = async (saved) => {
    if (saved) notes = saved;
    const z = await api(`/seizures/${id}`);
    samples.replaceChildren(samplesTable(z));
    if (!adding && isTech) {
      adding = sampleForm(z);
      adding.querySelector('h2').textContent = `Add a sample to seizure ${z.seizureNumber}`;
    }
    root.replaceChildren(...[
      h('h1', {}, 'Seizure ', h('span', { class: 'mono' }, z.seizureNumber)),
      h('p', { class: 'muted' }, `Port ${z.portCode} · seized ${fmtTime(z.seizedAt)} · ${label(z.conveyance)} · subject in custody: ${z.subjectInCustody ? 'yes' : 'no'}`
        + `${z.controlledDeliveryPending ? ' · controlled delivery pending' : ''}${z.narrative ? ` · ${z.narrative}` : ''}`),
      reprintNotice(notes.reprint),
      card(h('h2', {}, `Samples (${z.samples.length})`), samples),
      adding,
      card(h('h2', {}, `Exhibits (${z.exhibits.length})`), exhibitsTable(z)),
      isTech ? correctionCard(z, ports, reload, notes.correction) : card(h('h2', {}, 'Corrections'), correctionHistory(z.corrections, FIELDS)),
    ].filter(Boolean));
  };
  await reload();
  // A sample registered here (or changed elsewhere) shows in the table without touching the forms.
  state.onLive.add(debounce(async (kind) => kind === 'sample' && samples.isConnected && samples.replaceChildren(samplesTable(await api(`/seizures/${id}`))), 300));
  return root;
}
