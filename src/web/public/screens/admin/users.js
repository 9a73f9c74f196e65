// User administration: create, disable, enable.
import { api } from '../../core/api.js';
import { banner } from '../../core/chrome.js';
import { card, h, label } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
import { actions, field, input, onSubmit, select, values } from '../../widgets/form.js';

export async function adminUsers() {
  const { items } = await api('/users');
  const form = h('form', { class: 'fields', novalidate: true },
    field('name', 'Name', input({ type: 'text', required: true })), field('email', 'Email', input({ type: 'email', required: true })),
    field('role', 'Role', select(['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'])), field('password', 'Initial password (12+ characters)', input({ type: 'password', autocomplete: 'new-password' })),
    actions('Create user'));
  onSubmit(form, async () => {
    await api('/users', { method: 'POST', body: values(form) });
    go('#/admin/users');
  });
  const toggle = (u) => h('button', { type: 'button', class: u.disabled ? 'secondary' : 'danger', onclick: async () => {
    try {
      await api(`/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`, { method: 'POST' });
      go('#/admin/users');
    } catch (err) {
      banner(err.message);
    }
  } }, u.disabled ? 'Enable' : 'Disable');
  return h('section', {}, h('h1', {}, 'Users'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Email', 'Role', 'State', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((u) => h('tr', {}, h('td', {}, u.name), h('td', {}, u.email), h('td', {}, label(u.role)), h('td', {}, u.disabled ? 'disabled' : 'active'), h('td', {}, u.id === state.me.id ? '' : toggle(u)))))),
    card(h('h2', {}, 'New user'), form));
}
