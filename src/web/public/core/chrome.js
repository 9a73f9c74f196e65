// The page around the screens: navigation per role, who is signed in, the live dot, the banner, the unread count.
import { $, h, label } from './dom.js';
import { state } from './state.js';

const NAV = {
  TECHNICIAN: [['#/worklist', 'Worklist'], ['#/intake', 'New seizure'], ['#/seizures', 'Seizures'], ['#/import', 'Import'], ['#/review', 'Review'], ['#/inbox', 'Inbox']],
  INVESTIGATOR: [['#/inbox', 'Inbox'], ['#/cases', 'Cases']],
  MANAGER: [['#/dashboard', 'Dashboard'], ['#/operations', 'Operations'], ['#/worklist', 'Worklist'], ['#/seizures', 'Seizures'], ['#/review', 'Review'], ['#/cases', 'Cases'], ['#/roster', 'Duty roster'], ['#/inbox', 'Inbox'], ['#/admin/backups', 'Backups']],
  ADMIN: [['#/admin/users', 'Users'], ['#/admin/webhooks', 'Webhooks'], ['#/admin/libraries', 'Spectral libraries'], ['#/admin/backups', 'Backups'], ['/admin/queues', 'Queues'], ['#/dashboard', 'Dashboard']],
};
/** The signed-in user's start page (the first entry of their navigation). */
export const home = () => (NAV[state.me?.role]?.[0]?.[0] ?? '#/signin');

export function banner(text) {
  $('#banner').textContent = text ?? '';
}

export function setUnread(n) {
  state.unread = Math.max(0, n);
  const b = $('#inbox-count');
  if (b) b.textContent = state.unread ? String(state.unread) : '';
  // The tab says it too, for a window behind others: "(3) fol-triage".
  document.title = state.unread && state.me ? `(${state.unread}) fol-triage` : 'fol-triage';
}

export function setLive(on) {
  $('#live').classList.toggle('on', on);
}

/** The header for whoever is signed in; signed out, nothing of the last user is left in it. */
export function renderChrome() {
  const nav = $('#nav');
  const signedIn = !!state.me;
  nav.hidden = !signedIn;
  $('#who').hidden = !signedIn;
  if (!signedIn) {
    nav.replaceChildren();
    $('#who-name').textContent = '';
    setLive(false);
    state.unread = 0;
    document.title = 'fol-triage';
    return;
  }
  $('#who-name').textContent = `${state.me.name} (${label(state.me.role)})`;
  nav.replaceChildren(...NAV[state.me.role].map(([href, text]) =>
    h('a', { href, 'data-href': href }, text, href === '#/inbox' ? [' ', h('span', { class: 'badge', id: 'inbox-count', 'aria-label': 'unread' })] : [])));
  setUnread(state.unread);
}

/** Marks the navigation entry of the current page. */
export function markCurrent(hash) {
  for (const a of document.querySelectorAll('nav a')) a.removeAttribute('aria-current');
  for (const a of document.querySelectorAll('nav a')) if (hash.startsWith(a.dataset.href)) a.setAttribute('aria-current', 'page');
}
