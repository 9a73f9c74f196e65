// Arrests recorded on a case (append-only, audited): they count in the tally of every operation the
// case's seizures belong to.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { actions, field, input, numberInput, onSubmit, select, showSaved, values } from '../../widgets/form.js';

const JURISDICTIONS = ['FEDERAL', 'STATE', 'TRIBAL', 'LOCAL'];
const localNow = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
const arrests = (n, j) => `${n} ${label(j)} arrest${n === 1 ? '' : 's'}`;

const table = (items) => (items.length
  ? h('table', { class: 'arrests' }, h('thead', {}, h('tr', {}, ['When', 'Jurisdiction', 'Arrests', 'Note'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((a) => h('tr', {}, h('td', {}, fmtTime(a.at)), h('td', {}, label(a.jurisdiction)), h('td', {}, a.count), h('td', {}, a.note ?? '')))),
    h('tfoot', {}, h('tr', {}, h('td', {}, 'Total'), h('td'), h('td', {}, items.reduce((n, a) => n + a.count, 0)), h('td'))))
  : h('p', { class: 'muted' }, 'No arrests recorded.'));

/** `canRecord`: the case's investigator or a manager. */
export async function arrestsCard(caseId, canRecord) {
  const list = h('div', {}, table((await api(`/cases/${caseId}/arrests`)).items));
  if (!canRecord) return card(h('h2', {}, 'Arrests'), list);
  const form = h('form', { class: 'fields', novalidate: true },
    field('jurisdiction', 'Jurisdiction', select(JURISDICTIONS)),
    field('count', 'Number of people arrested', numberInput({ integer: true, min: 1, max: 10000, required: true })),
    field('at', 'Arrested at (local time)', input({ type: 'datetime-local', required: true, value: localNow() })),
    field('note', 'Note', input({ type: 'text', maxlength: 2000 })),
    actions('Record arrests'));
  onSubmit(form, async () => {
    const a = await api(`/cases/${caseId}/arrests`, { method: 'POST', body: values(form) });
    list.replaceChildren(table((await api(`/cases/${caseId}/arrests`)).items));
    form.reset();
    form.elements.namedItem('at').value = localNow();
    showSaved(form, `Recorded: ${arrests(a.count, a.jurisdiction)} on ${fmtTime(a.at)}.`);
  });
  return card(h('h2', {}, 'Arrests'), list, h('h3', {}, 'Record arrests'), form);
}
