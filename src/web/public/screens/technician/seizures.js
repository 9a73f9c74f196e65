// The seizure list: search by number, port and the day seized, newest first, a page at a time.
import { api } from '../../core/api.js';
import { fmtTime, h, label } from '../../core/dom.js';
import { field, input, onSubmit, select, values } from '../../widgets/form.js';

const PAGE = 25;

export async function seizures() {
  const ports = await api('/ports');
  const body = h('tbody');
  const count = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  // Cursors of the pages seen so far, so Previous goes back the way it came.
  let cursors = [null];
  const prev = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next page');
  const form = h('form', { class: 'fields', novalidate: true, role: 'search' },
    field('q', 'Seizure number (any part)', input({ type: 'search', autocomplete: 'off' })),
    field('portCode', 'Port', select([{ value: '', text: 'all ports' }, ...ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` }))])),
    field('from', 'Seized from', input({ type: 'date' })),
    field('to', 'Seized to (inclusive)', input({ type: 'date' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search'), h('span', { class: 'error form', role: 'alert' })));
  let latest = 0; // only the latest search or page may fill the table
  const load = async (page) => {
    const mine = ++latest;
    const v = values(form);
    const qs = new URLSearchParams({ ...v, limit: String(PAGE), ...(cursors[page] ? { cursor: cursors[page] } : {}) });
    const r = await api(`/seizures?${qs}`);
    if (mine !== latest) return;
    cursors = cursors.slice(0, page + 1);
    if (r.nextCursor) cursors[page + 1] = r.nextCursor;
    body.replaceChildren(...(r.items.length ? r.items.map((z) => h('tr', { 'data-seizure': z.seizureNumber },
      h('td', {}, h('a', { href: `#/seizure/${z.id}`, class: 'mono' }, z.seizureNumber)), h('td', {}, z.portCode), h('td', {}, fmtTime(z.seizedAt)),
      h('td', {}, label(z.conveyance)), h('td', {}, z.subjectInCustody ? 'yes' : 'no'), h('td', {}, `${z.samples} (${z.openSamples} open)`)))
      : [h('tr', {}, h('td', { colspan: 6 }, 'No seizure matches.'))]));
    const first = page * PAGE + (r.items.length ? 1 : 0);
    count.textContent = `${r.total} ${r.total === 1 ? 'seizure' : 'seizures'}${r.total ? `, showing ${first}–${page * PAGE + r.items.length}` : ''}.`;
    prev.disabled = page === 0;
    next.disabled = !r.nextCursor;
    prev.onclick = () => load(page - 1);
    next.onclick = () => load(page + 1);
  };
  onSubmit(form, async () => {
    cursors = [null];
    await load(0);
  });
  await load(0);
  return h('section', {}, h('h1', {}, 'Seizures'), form, count,
    h('table', {}, h('thead', {}, h('tr', {}, ['Seizure', 'Port', 'Seized', 'Conveyance', 'Subject in custody', 'Samples'].map((t) => h('th', {}, t)))), body),
    h('div', { class: 'actions' }, prev, next));
}
