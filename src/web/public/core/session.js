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
    if (!n.readAt && !heard.has(n.id)) {
      heard.add(n.id);
      setUnread(state.unread + 1);
    }
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

/** Unread notifications heard on the live stream since sign-in: counted once, whichever answer comes first. */
const heard = new Set();

export async function loadUnread() {
  const unread = await api('/notifications?unread=true&limit=500').catch(() => ({ items: [] }));
  // One that arrived live while this was asked may or may not be in the answer: count each id once.
  const ids = new Set(unread.items.map((n) => n.id));
  setUnread(ids.size + [...heard].filter((id) => !ids.has(id)).length);
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
  heard.clear();
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
