// One operation: its tally as of a chosen date (with the CSV and the one-page PDF brief), its seizures
// with how each joined it, and adding a seizure by hand by its number.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { actions, field, input, onSubmit, showSaved, values } from '../../widgets/form.js';
import { tallyCard } from './operation-tally.js';

const TAGGED = { RULE: 'by its ports and dates', REGISTRATION: 'named at registration', MANUAL: 'added by hand' };
const today = () => new Date().toISOString().slice(0, 10);

const seizureTable = (r) => h('div', {},
  h('table', { class: 'operation-seizures' }, h('thead', {}, h('tr', {}, ['Seizure', 'Port', 'Seized', 'Case', 'Joined'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, r.items.length ? r.items.map((s) => h('tr', { 'data-seizure': s.seizureId }, h('td', { class: 'mono' }, s.seizureNumber), h('td', {}, s.portCode), h('td', {}, fmtTime(s.seizedAt)),
      h('td', {}, s.caseNumber ?? '—'), h('td', {}, TAGGED[s.taggedBy] ?? label(s.taggedBy))))
      : h('tr', {}, h('td', { colspan: 5 }, 'No seizure yet.')))),
  r.total > r.items.length ? h('p', { class: 'muted' }, `The newest ${r.items.length} of ${r.total} seizures.`) : null);

export async function operationPage(id) {
  const op = await api(`/operations/${id}`);
  const tally = h('div');
  const seizures = h('div');
  const asOf = h('form', { class: 'fields', novalidate: true },
    field('asOf', 'Tally as of (end of that day, UTC)', input({ type: 'date', value: today(), max: today() })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Show tally'),
      h('a', { class: 'button secondary', 'data-download': 'csv', download: true }, 'Download CSV'),
      h('a', { class: 'button secondary', 'data-download': 'pdf', target: '_blank', rel: 'noopener' }, 'One-page brief (PDF)'),
      h('span', { class: 'error form', role: 'alert' })));
  const show = async () => {
    const q = new URLSearchParams(values(asOf)).toString();
    const s = await api(`/operations/${id}/summary?${q}`);
    for (const a of asOf.querySelectorAll('[data-download]')) a.href = `/api/v1/operations/${id}/summary?${q}${q ? '&' : ''}format=${a.dataset.download}`;
    const el = tallyCard(s);
    tally.replaceChildren(el);
    requestAnimationFrame(() => el.draw());
  };
  onSubmit(asOf, show);
  const listSeizures = async () => seizures.replaceChildren(seizureTable(await api(`/operations/${id}/seizures?limit=500`)));

  const tag = h('form', { class: 'fields', novalidate: true },
    field('seizureNumber', 'Seizure number', input({ type: 'text', required: true, placeholder: 'SZ-2604-2026-…' })), actions('Add to the operation'));
  onSubmit(tag, async () => {
    const r = await api(`/operations/${id}/seizures`, { method: 'POST', body: values(tag) });
    await Promise.all([listSeizures(), show()]);
    tag.reset();
    showSaved(tag, r.tagged ? `Added: seizure ${r.seizureNumber} now counts in ${op.name}.` : `Seizure ${r.seizureNumber} was already in ${op.name}: nothing changed.`);
  });
  await Promise.all([show(), listSeizures()]);
  return h('section', {}, h('h1', {}, op.name),
    h('p', { class: 'muted' }, `${op.startsOn} – ${op.endsOn ?? 'ongoing'} · ports ${op.portCodes.join(', ')} · ${op.description}`),
    card(asOf), tally,
    card(h('h2', {}, 'Seizures'), seizures, state.me.role === 'MANAGER' ? [h('h3', {}, 'Add a seizure by hand'), tag] : null));
}
