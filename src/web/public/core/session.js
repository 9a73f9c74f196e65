// Signing in and out, and the live stream (Server-Sent Events) that belongs to a session.
import { api } from './api.js';
import { $ } from './dom.js';
import { banner, home, renderChrome, setLive, setUnread } from './chrome.js';
import { go } from './router.js';
import { state } from './state.js';

export async function loadMe() {
  try {
    state.me = await api('/me');
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
    if (!n.readAt) setUnread(state.unread + 1);
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

export async function loadUnread() {
  const unread = await api('/notifications?unread=true&limit=500').catch(() => ({ items: [] }));
  setUnread(unread.items.length);
}

export async function signedIn(me) {
  state.me = me;
  banner('');
  renderChrome();
  startLive();
  await loadUnread();
  go(home());
}

/** Forgets the signed-in user: no live updates, no screen of theirs, nothing of theirs in the header. */
function forget(message) {
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
