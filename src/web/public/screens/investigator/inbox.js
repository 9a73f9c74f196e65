// The inbox (every role has one; for investigators it is the start page).
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { loadNames } from '../../widgets/names.js';
import { notificationItem } from '../../widgets/notification.js';

const empty = () => h('li', { class: 'empty' }, 'Nothing in your inbox.');

export async function inbox() {
  await loadNames();
  // Listening starts before the list is asked for: one delivered while it is read is kept, not lost.
  const early = [];
  const keep = (kind, n) => kind === 'notification' && early.push(n);
  state.onLive.add(keep);
  let items;
  try {
    ({ items } = await api('/notifications?limit=200'));
  } finally {
    state.onLive.delete(keep);
  }
  const list = h('ul', {}, items.length ? items.map(notificationItem) : empty());
  const add = (n) => {
    // It may be in the list already (delivered while the list was being read).
    if (list.querySelector(`li[data-id="${CSS.escape(n.id)}"]`)) return;
    list.querySelector('li.empty')?.remove();
    list.prepend(notificationItem(n));
  };
  early.forEach(add);
  state.onLive.add((kind, n) => kind === 'notification' && add(n));
  return h('section', { class: 'inbox' }, h('h1', {}, 'Inbox'), h('p', { class: 'muted' }, 'New notifications arrive here as they happen. Presumptive alerts are not confirmed results: each says when a later result supersedes it.'), list);
}
