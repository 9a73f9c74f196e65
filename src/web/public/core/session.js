// Signing in and out, and the live stream (Server-Sent Events) that belongs to a session.
import { api } from './api.js';
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
  es.addEventListener('sample', (e) => {
    const s = JSON.parse(e.data);
    for (const fn of state.onLive) fn('sample', s);
  });
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

/** The server ended the session (sign-out elsewhere, timeout, disabled account). */
export function sessionEnded() {
  if (!state.me) return;
  state.me = null;
  state.live?.close();
  banner('Your session ended (signed out, timed out, or disabled). Sign in again to continue.');
  go('#/signin');
}

export async function signOut() {
  await api('/auth/logout', { method: 'POST' }).catch(() => {});
  state.me = null;
  state.live?.close();
  renderChrome();
  go('#/signin');
}
