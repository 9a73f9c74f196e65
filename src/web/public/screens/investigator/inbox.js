// The inbox (every role has one; for investigators it is the start page).
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { notificationItem } from '../../widgets/notification.js';

export async function inbox() {
  const { items } = await api('/notifications?limit=200');
  const list = h('ul', {}, items.map(notificationItem));
  state.onLive.add((kind, n) => kind === 'notification' && list.prepend(notificationItem(n)));
  return h('section', { class: 'inbox' }, h('h1', {}, 'Inbox'), h('p', { class: 'muted' }, 'New notifications arrive here as they happen. Presumptive alerts are not confirmed results.'), list);
}
