// The period summary on the dashboard: seizures, samples and net kilograms per category for any period
// and port, with CSV (an operation's own tally, with arrests and weeks, is on its page).
import { api } from '../../core/api.js';
import { card, h, label } from '../../core/dom.js';
import { field, input, select, showErrors, values } from '../../widgets/form.js';

export async function periodSummaryCard() {
  const ports = await api('/ports');
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
  const result = h('div');
  const form = h('form', { class: 'fields', novalidate: true },
    field('from', 'From', input({ type: 'date', value: monthAgo })), field('to', 'To (inclusive)', input({ type: 'date', value: today })),
    field('portCode', 'Port', select([{ value: '', text: 'all ports' }, ...ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` }))])),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Summarise'), h('a', { class: 'button secondary', id: 'ops-csv', href: '#', download: true }, 'Download CSV'), h('span', { class: 'error form', role: 'alert' })));
  // The API's period is [from, to): a day picked as "to" is included by asking up to the next midnight.
  const query = () => {
    const v = values(form);
    if (v.to) v.to = new Date(Date.parse(`${v.to}T00:00:00Z`) + 86400000).toISOString();
    if (v.from) v.from = `${v.from}T00:00:00Z`;
    return new URLSearchParams(Object.entries(v).filter(([, x]) => x)).toString();
  };
  const run = async () => {
    try {
      const r = await api(`/reports/operations?${query()}`);
      form.querySelector('#ops-csv').href = `/api/v1/reports/operations?${query()}&format=csv`;
      result.replaceChildren(h('p', {}, h('strong', {}, `${r.seizures} seizures, ${r.samples} samples`), ` (${r.from.slice(0, 10)} to ${new Date(Date.parse(r.to) - 1).toISOString().slice(0, 10)} UTC${r.portCode ? `, port ${r.portCode}` : ''})`),
        h('table', {}, h('thead', {}, h('tr', {}, ['Category', 'Samples', 'Net kg'].map((t) => h('th', {}, t)))), h('tbody', {}, r.byCategory.map((c) => h('tr', {}, h('td', {}, label(c.category)), h('td', {}, c.samples), h('td', {}, c.netWeightKg))))));
    } catch (err) {
      showErrors(form, err);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  await run();
  return card(h('h2', {}, 'Summary for a period'), form, result);
}
