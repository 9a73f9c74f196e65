// fol-triage web client: plain modules, no build step, no network beyond this server.
// Speaks only the public API (/api/v1) with the HttpOnly session cookie and the CSRF header.
import { views } from './views.js';

export const state = { me: null, unread: 0, live: null, onLive: new Set() };

// ---------- DOM ----------
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
export const $ = (sel, root = document) => root.querySelector(sel);
export const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '—');
export const label = (s) => (s ? String(s).replaceAll('_', ' ').toLowerCase() : '—');

// ---------- API ----------
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details;
  }
}
const csrf = () => decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('fol_csrf='))?.slice(9) ?? '');

export async function api(path, { method = 'GET', body, headers, signature = false } = {}) {
  const res = await fetch('/api/v1' + path, {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(method !== 'GET' ? { 'X-CSRF-Token': csrf() } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  // A wrong e-signature password is a 401 too: it must not end the session.
  if (res.status === 401 && path !== '/auth/login' && !signature) {
    sessionEnded();
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Shows API validation messages next to the fields they name ("body.grossWeightG" → name="grossWeightG"). */
export function showErrors(form, err) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.error[data-for]')) el.textContent = '';
  const general = form.querySelector('.error.form');
  if (general) general.textContent = '';
  const unplaced = [];
  for (const d of err.details ?? []) {
    const name = String(d.path).replace(/^body\./, '').split('.')[0];
    const input = form.elements.namedItem(name);
    const slot = form.querySelector(`.error[data-for="${name}"]`);
    if (input && slot) {
      input.setAttribute('aria-invalid', 'true');
      slot.textContent = d.message;
    } else unplaced.push(`${d.path}: ${d.message}`);
  }
  if (general) general.textContent = [err.message, ...unplaced].join(' — ');
  form.querySelector('[aria-invalid="true"]')?.focus();
}

/** A labelled field with its error slot. */
export function field(name, text, control, hint) {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  control.id = id;
  control.name = name;
  const err = h('span', { class: 'error', 'data-for': name, id: `${id}-err`, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', `${id}-err`);
  const isCheck = control.type === 'checkbox';
  return h('div', { class: isCheck ? 'field check' : 'field' }, isCheck ? [control, h('label', { for: id }, text)] : [h('label', { for: id }, text), control], hint ? h('span', { class: 'muted' }, hint) : null, err);
}
export const input = (attrs = {}) => h('input', attrs);
export const select = (options, attrs = {}) =>
  h('select', attrs, options.map((o) => (typeof o === 'string' ? h('option', { value: o }, label(o)) : h('option', { value: o.value }, o.text))));

/** Form values as an object: empty fields are left out, numbers and checkboxes typed. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    }
    else if (el.value === '') continue;
    else if (el.type === 'number') out[el.name] = Number(el.value);
    else if (el.type === 'datetime-local') out[el.name] = new Date(el.value).toISOString();
    else out[el.name] = el.value.trim();
  }
  return out;
}

export function banner(text) {
  $('#banner').textContent = text ?? '';
}

// ---------- session ----------
function sessionEnded() {
  if (!state.me) return;
  state.me = null;
  state.live?.close();
  banner('Your session ended (signed out, timed out, or disabled). Sign in again to continue.');
  go('#/signin');
}

async function loadMe() {
  try {
    state.me = await api('/me');
  } catch {
    state.me = null;
  }
}

function startLive() {
  state.live?.close();
  const es = new EventSource('/api/v1/notifications/stream');
  es.addEventListener('open', () => $('#live').classList.add('on'));
  es.addEventListener('error', () => $('#live').classList.remove('on'));
  es.addEventListener('notification', (e) => {
    const n = JSON.parse(e.data);
    if (!n.readAt) setUnread(state.unread + 1);
    for (const fn of state.onLive) fn('notification', n);
  });
  es.addEventListener('sample', (e) => {
    const s = JSON.parse(e.data);
    for (const fn of state.onLive) fn('sample', s);
  });
  state.live = es;
}

export function setUnread(n) {
  state.unread = Math.max(0, n);
  const b = $('#inbox-count');
  if (b) b.textContent = state.unread ? String(state.unread) : '';
}

const NAV = {
  TECHNICIAN: [['#/worklist', 'Worklist'], ['#/intake', 'New seizure'], ['#/review', 'Review'], ['#/inbox', 'Inbox']],
  INVESTIGATOR: [['#/inbox', 'Inbox'], ['#/cases', 'Cases']],
  MANAGER: [['#/dashboard', 'Dashboard'], ['#/worklist', 'Worklist'], ['#/review', 'Review'], ['#/cases', 'Cases'], ['#/roster', 'Duty roster'], ['#/inbox', 'Inbox']],
  ADMIN: [['#/admin/users', 'Users'], ['#/admin/webhooks', 'Webhooks'], ['/admin/queues', 'Queues'], ['#/dashboard', 'Dashboard']],
};
export const home = () => (NAV[state.me?.role]?.[0]?.[0] ?? '#/signin');

function renderChrome() {
  const nav = $('#nav');
  const signedIn = !!state.me;
  nav.hidden = !signedIn;
  $('#who').hidden = !signedIn;
  if (!signedIn) return;
  $('#who-name').textContent = `${state.me.name} (${label(state.me.role)})`;
  nav.replaceChildren(...NAV[state.me.role].map(([href, text]) =>
    h('a', { href, 'data-href': href }, text, href === '#/inbox' ? [' ', h('span', { class: 'badge', id: 'inbox-count', 'aria-label': 'unread' })] : [])));
  setUnread(state.unread);
}

// ---------- router ----------
export function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function route() {
  const hash = location.hash || '#/';
  const view = $('#view');
  state.onLive.clear();
  if (!state.me && hash !== '#/signin') return go('#/signin');
  if (state.me && (hash === '#/' || hash === '#/signin')) return go(home());
  for (const a of document.querySelectorAll('nav a')) a.removeAttribute('aria-current');
  for (const a of document.querySelectorAll('nav a')) if (hash.startsWith(a.dataset.href)) a.setAttribute('aria-current', 'page');
  const [, name, ...args] = hash.split('/');
  const render = views[name] ?? views.notFound;
  try {
    view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    const content = await render(...args.map(decodeURIComponent));
    if (location.hash === hash || (!location.hash && hash === '#/')) view.replaceChildren(content);
  } catch (err) {
    // An error never leaves a blank screen.
    if (err.status === 401) return;
    view.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, h('strong', {}, err.status === 404 ? 'Not found. ' : 'Something went wrong. '), err.message ?? String(err)), h('p', {}, h('a', { href: home() }, 'Back')));
  }
  view.focus({ preventScroll: true });
}

export async function signedIn(me) {
  state.me = me;
  banner('');
  renderChrome();
  startLive();
  const unread = await api('/notifications?unread=true&limit=500').catch(() => ({ items: [] }));
  setUnread(unread.items.length);
  go(home());
}

$('#logout').addEventListener('click', async () => {
  await api('/auth/logout', { method: 'POST' }).catch(() => {});
  state.me = null;
  state.live?.close();
  renderChrome();
  go('#/signin');
});
window.addEventListener('hashchange', route);
window.addEventListener('error', (e) => banner(`Error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => e.reason?.status !== 401 && banner(`Error: ${e.reason?.message ?? e.reason}`));

await loadMe();
renderChrome();
if (state.me) {
  startLive();
  api('/notifications?unread=true&limit=500').then((r) => setUnread(r.items.length), () => {});
}
route();
