// The bench worklist and the barcode box: search, filters, order, a count and pages; updates live.
import { api } from '../../core/api.js';
import { debounce, h } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
import { field, input, select, showErrors } from '../../widgets/form.js';
import { categoryName, levelName, loadNames, statusName } from '../../widgets/names.js';
import { dueText, slaClass } from '../../widgets/sla.js';

const PAGE = 50;
const OPEN = ['REGISTERED', 'QUEUED', 'IN_ANALYSIS', 'AWAITING_REVIEW', 'NEEDS_ATTENTION'];
const SORTS = [{ value: 'worklist', text: 'most urgent first, then due' }, { value: 'due', text: 'due time' }, { value: 'registered', text: 'newest registered' }, { value: 'barcode', text: 'barcode' }];

/** Focuses once the element is on screen (after the page has taken focus for itself), unless the page was left first. */
const focusWhenShown = (el) => {
  const page = location.hash;
  setTimeout(function again() {
    if (location.hash !== page) return;
    if (!el.isConnected) return requestAnimationFrame(again);
    el.focus();
  }, 0);
};

function scanBox() {
  const code = input({ type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'FOL…', inputmode: 'text' });
  const form = h('form', { class: 'scan' }, field('barcode', 'Scan or type barcode', code), h('button', { type: 'submit' }, 'Open'), h('span', { class: 'error form', role: 'alert' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = code.value.trim().toUpperCase();
    if (!v) return;
    try {
      const s = await api(`/samples/by-barcode/${encodeURIComponent(v)}`);
      go(`#/sample/${s.id}`);
    } catch (err) {
      showErrors(form, err.status === 404 || err.status === 400 ? Object.assign(err, { message: `No sample with barcode ${v}`, details: [] }) : err);
      // The next scan replaces what is there, instead of being appended to it.
      code.focus();
      code.select();
    }
  });
  focusWhenShown(code);
  return form;
}

function filters(ports, apply) {
  const menu = (name, text, options) => field(name, text, select(options));
  const form = h('form', { class: 'fields filters', novalidate: true, role: 'search', 'aria-label': 'Filter the worklist' },
    field('q', 'Search barcode, seizure number or description', input({ type: 'search', autocomplete: 'off' })),
    menu('portCode', 'Port', [{ value: '', text: 'all ports' }, ...ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` }))]),
    menu('status', 'Status', [{ value: '', text: 'all open' }, ...OPEN.map((s) => ({ value: s, text: statusName(s) })), { value: 'RELEASED', text: statusName('RELEASED') }, { value: 'ROUTED', text: statusName('ROUTED') }]),
    menu('priority', 'Priority', [{ value: '', text: 'any' }, 'URGENT', 'PRIORITY', 'ROUTINE']),
    menu('sort', 'Order', SORTS),
    field('mine', 'Only mine (registered or tested by me)', input({ type: 'checkbox' })),
    h('span', { class: 'error form', role: 'alert', style: 'grid-column:1/-1' }));
  const later = debounce(apply, 250);
  form.addEventListener('input', (e) => (e.target.type === 'search' ? later() : apply()));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  return form;
}

/** The query of the current filters: a status, or every open one. */
function query(form, cursor) {
  const q = new URLSearchParams({ limit: String(PAGE) });
  for (const name of ['q', 'portCode', 'status', 'priority', 'sort']) {
    const v = form.elements.namedItem(name).value.trim();
    if (v && !(name === 'q' && v.length < 2)) q.set(name, v);
  }
  if (!q.has('status')) q.set('open', 'true');
  if (form.elements.namedItem('mine').checked) q.set('mine', 'true');
  if (cursor) q.set('cursor', cursor);
  return q;
}

const row = (s) => h('tr', { class: slaClass(s), 'data-barcode': s.barcode },
  h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)),
  h('td', {}, state.me.role === 'INVESTIGATOR' ? s.seizureNumber : h('a', { href: `#/seizure/${s.seizureId}` }, s.seizureNumber)),
  h('td', { class: 'hide-narrow' }, s.description), h('td', {}, s.portCode),
  h('td', {}, h('span', { class: `tag ${s.priority}` }, s.priority)),
  h('td', {}, statusName(s.status)), h('td', {}, dueText(s)),
  h('td', {}, s.classification ? `${categoryName(s.classification.category)} (${levelName(s.classification.level)})` : '—'));

export async function worklist() {
  await loadNames();
  const ports = await api('/ports');
  const body = h('tbody');
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next page');
  let cursors = [null];
  let page = 0;
  let form;
  // Filters change faster than answers come back: only the latest request may fill the table, so an
  // older, slower answer never shows rows for filters no longer chosen.
  let latest = 0;
  const load = async (to = page) => {
    const mine = ++latest;
    let r;
    try {
      r = await api(`/samples?${query(form, cursors[to])}`);
    } catch (err) {
      if (mine === latest) showErrors(form, err);
      return;
    }
    if (mine !== latest) return;
    page = to;
    cursors = cursors.slice(0, page + 1);
    if (r.nextCursor) cursors[page + 1] = r.nextCursor;
    body.replaceChildren(...(r.items.length ? r.items.map(row) : [h('tr', {}, h('td', { colspan: 8 }, r.total ? 'Nothing on this page.' : 'Nothing matches: no open sample waits with these filters.'))]));
    count.textContent = r.total ? `${r.total} ${r.total === 1 ? 'sample' : 'samples'}; showing ${page * PAGE + 1}–${page * PAGE + r.items.length}.` : '0 samples.';
    prev.disabled = page === 0;
    next.disabled = !r.nextCursor;
  };
  form = filters(ports, () => {
    cursors = [null];
    return load(0);
  });
  prev.addEventListener('click', () => load(page - 1));
  next.addEventListener('click', () => load(page + 1));
  await load(0);
  // Background refreshes stop with the session: after a sign-out there is nothing to load or say.
  const refresh = () => (state.me ? load() : undefined);
  state.onLive.add(debounce(refresh, 300));
  const timer = setInterval(() => (location.hash.startsWith('#/worklist') ? refresh() : clearInterval(timer)), 60_000); // SLA colours move with time
  return h('section', {}, h('h1', {}, 'Worklist'), scanBox(), form,
    h('p', { class: 'muted' }, 'Red: overdue; amber: at risk (most of the turnaround budget used). Updates live.'), count,
    h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Seizure', 'Description', 'Port', 'Priority', 'Status', 'Due', 'Classification'].map((t, i) => h('th', { class: i === 2 ? 'hide-narrow' : '' }, t)))), body),
    h('div', { class: 'actions' }, prev, next));
}
