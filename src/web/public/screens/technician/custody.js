// The chain of custody of a sample (ASTM E1492), and for technicians the form to add an event.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
import { actions, field, input, select, showErrors, values } from '../../widgets/form.js';

const CUSTODY = ['TRANSFERRED', 'RECEIVED', 'OPENED', 'SAMPLED', 'RESEALED', 'SEALED', 'STORED', 'RETURNED', 'DESTROYED'];

export async function custodyCard(sample) {
  const [{ items }, people] = await Promise.all([api(`/samples/${sample.id}/custody`), state.me.role === 'INVESTIGATOR' ? { items: [] } : api('/users/directory')]);
  const name = new Map(people.items.map((p) => [p.id, p.name]));
  const who = (id) => (id ? name.get(id) ?? id.slice(0, 8) : '—');
  const table = h('table', {}, h('thead', {}, h('tr', {}, ['When', 'Action', 'From', 'To', 'Location', 'Seal', 'Note'].map((t) => h('th', {}, t)))),
    h('tbody', {}, items.map((e) => h('tr', {}, h('td', {}, fmtTime(e.at)), h('td', {}, label(e.action)), h('td', {}, who(e.fromUserId)), h('td', {}, who(e.toUserId)),
      h('td', {}, e.location ?? ''), h('td', {}, `${e.sealNumber ?? ''}${e.sealIntact === false ? ' (broken)' : ''}`), h('td', {}, e.note ?? '')))));
  if (state.me.role !== 'TECHNICIAN') return card(h('h2', {}, 'Chain of custody'), table);
  const form = h('form', { class: 'fields', novalidate: true },
    field('action', 'Action', select(CUSTODY)),
    field('toUserId', 'To', select([{ value: '', text: '—' }, ...people.items.map((p) => ({ value: p.id, text: `${p.name} (${label(p.role)})` }))])),
    field('location', 'Location', input({ type: 'text' })),
    field('sealNumber', 'Seal number', input({ type: 'text' })),
    field('sealIntact', 'Seal intact', input({ type: 'checkbox', checked: true })),
    field('witnessId', 'Witness', select([{ value: '', text: '—' }, ...people.items.map((p) => ({ value: p.id, text: p.name }))])),
    field('note', 'Note', input({ type: 'text' })),
    actions('Record custody event'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = values(form);
    if (body.action !== 'RECEIVED') delete body.sealIntact;
    try {
      await api(`/samples/${sample.id}/custody`, { method: 'POST', body });
      go(`#/sample/${sample.id}`);
    } catch (err) {
      showErrors(form, err);
    }
  });
  return card(h('h2', {}, 'Chain of custody'), table, h('h3', {}, 'Record an event'), form);
}
