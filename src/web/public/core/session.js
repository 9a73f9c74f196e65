// Signing in and out, and the live stream (Server-Sent Events) that belongs to a session.
import { api } from './api.js';
import { $ } from './dom.js';
import { banner, home, renderChrome, setLive, setUnread } from './chrome.js';
import { go } from './router.js';
import { state } from './state.js';

/** Who is signed in, asked so that nobody signed in is an answer, not a 401 in the console. */
export async function loadMe() {
  try {
    state.me = (await api('/auth/session')).user;
  } catch {
    state.me = null;
  }
}

export function startLive() {
  state.live?.close();
  const es = new EventSource('/api/v1/notifications/stream');
  es.addEventListener('open', () => setLive(true));
  es.addEventListener('error', () => setLive(false));
  es.addEventListener('notification', (e) => {
    const n = JSON.parse(e.data);
    if (!n.readAt) countUnread([n.id]);
    for (const fn of state.onLive) fn('notification', n);
  });
  // Samples changing (worklists, sample pages) and manifest imports running as a job (the Import page).
  for (const kind of ['sample', 'import']) {
    es.addEventListener(kind, (e) => {
      const data = JSON.parse(e.data);
      for (const fn of state.onLive) fn(kind, data);
    });
  }
  state.live = es;
}

/**
 * The unread count is a set of ids, never a running sum: a notification can reach the page both in the
 * unread list and on the live stream, in either order, and is counted once; one marked read here is not
 * counted again by an answer that was computed before the mark.
 */
const unreadIds = new Set();
const readHere = new Set();
function countUnread(ids) {
  for (const id of ids) if (!readHere.has(id)) unreadIds.add(id);
  setUnread(unreadIds.size);
}

/** The user marked a notification read on this page. */
export function markedRead(id) {
  readHere.add(id);
  unreadIds.delete(id);
  setUnread(unreadIds.size);
}

export async function loadUnread() {
  const unread = await api('/notifications?unread=true&limit=500').catch(() => ({ items: [] }));
  countUnread(unread.items.map((n) => n.id));
}

export async function signedIn(me) {
  state.me = me;
  banner('');
  renderChrome();
  startLive();
  // To the start page at once: a link followed while the unread count loads must not be undone.
  go(home());
  await loadUnread();
}

/** Forgets the signed-in user: no live updates, no screen of theirs, nothing of theirs in the header. */
function forget(message) {
  unreadIds.clear();
  readHere.clear();
  state.onLive.clear();
  state.live?.close();
  state.live = null;
  state.me = null;
  $('#view').replaceChildren();
  renderChrome();
  banner(message);
  go('#/signin');
}

/** The server ended the session (sign-out elsewhere, timeout, disabled account). */
export function sessionEnded() {
  if (state.me) forget('Your session ended (signed out, timed out, or disabled). Sign in again to continue.');
}

export async function signOut() {
  state.onLive.clear();
  await api('/auth/logout', { method: 'POST' }).catch(() => {});
  forget('You have signed out.');
}
