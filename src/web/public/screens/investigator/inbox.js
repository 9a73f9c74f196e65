// The inbox (every role has one; for investigators it is the start page).
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { loadNames } from '../../widgets/names.js';
import { notificationItem } from '../../widgets/notification.js';

const empty = () => h('li', { class: 'empty' }, 'Nothing in your inbox.');

export async function inbox() {
  await loadNames();
  const { items } = await api('/notifications?limit=200');
  const list = h('ul', {}, items.length ? items.map(notificationItem) : empty());
  state.onLive.add((kind, n) => {
    // Delivered while the list was being read: it may be in the list already.
    if (kind !== 'notification' || list.querySelector(`li[data-id="${CSS.escape(n.id)}"]`)) return;
    list.querySelector('li.empty')?.remove();
    list.prepend(notificationItem(n));
  });
  return h('section', { class: 'inbox' }, h('h1', {}, 'Inbox'), h('p', { class: 'muted' }, 'New notifications arrive here as they happen. Presumptive alerts are not confirmed results: each says when a later result supersedes it.'), list);
}
