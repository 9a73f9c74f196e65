// The chain of custody of a sample (ASTM E1492), and for technicians the form to add an event.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { actions, field, input, onSubmit, select, showSaved, values } from '../../widgets/form.js';
import { personPicker } from '../../widgets/person-picker.js';

const CUSTODY = ['TRANSFERRED', 'RECEIVED', 'OPENED', 'SAMPLED', 'RESEALED', 'SEALED', 'STORED', 'RETURNED', 'DESTROYED'];

// The custody log names its people itself (including anyone since disabled); the directory of
// active colleagues is only needed to pick a recipient or a witness.
const person = (name, id) => (id ? name ?? id.slice(0, 8) : '—');

export async function custodyCard(sample, reload, note) {
  const isTech = state.me.role === 'TECHNICIAN';
  const [{ items }, people] = await Promise.all([api(`/samples/${sample.id}/custody`), isTech ? api('/users/directory?holders=true') : { items: [] }]);
  const table = h('table', {}, h('thead', {}, h('tr', {}, ['When', 'Action', 'From', 'To', 'Location', 'Seal', 'Note'].map((t) => h('th', {}, t)))),
    h('tbody', {}, items.map((e) => h('tr', {}, h('td', {}, fmtTime(e.at)), h('td', {}, label(e.action)), h('td', {}, person(e.fromUserName, e.fromUserId)), h('td', {}, person(e.toUserName, e.toUserId)),
      h('td', {}, e.location ?? ''), h('td', {}, `${e.sealNumber ?? ''}${e.sealIntact === false ? ' (broken)' : ''}`), h('td', {}, e.note ?? '')))));
  if (!isTech) return card(h('h2', {}, 'Chain of custody'), table);
  const nameOf = new Map(people.items.map((p) => [p.id, p.name]));
  const form = h('form', { class: 'fields', novalidate: true },
    field('action', 'Action', select(CUSTODY)),
    // Only people who may hold evidence (technicians, investigators, managers) receive it or witness.
    personPicker('toUserId', 'To', people.items, { find: 'Search recipients' }),
    field('location', 'Location', input({ type: 'text' })),
    field('sealNumber', 'Seal number', input({ type: 'text' })),
    field('sealIntact', 'Seal intact', input({ type: 'checkbox', checked: true })),
    personPicker('witnessId', 'Witness', people.items.filter((p) => p.id !== state.me.id), { hint: 'someone other than you', find: 'Search witnesses' }),
    field('note', 'Note', input({ type: 'text' })),
    actions('Record custody event'));
  onSubmit(form, async () => {
    const body = values(form);
    if (body.action !== 'RECEIVED') delete body.sealIntact;
    const e = await api(`/samples/${sample.id}/custody`, { method: 'POST', body });
    await reload({ custody: `Recorded: ${label(e.action)}${e.toUserId ? ` ${e.action === 'RECEIVED' ? 'by' : 'to'} ${nameOf.get(e.toUserId) ?? 'you'}` : ''}${e.sealNumber ? `, seal ${e.sealNumber}` : ''}, ${fmtTime(e.at)}.` });
  });
  if (note) showSaved(form, note);
  return card(h('h2', {}, 'Chain of custody'), table, h('h3', {}, 'Record an event'), form);
}
