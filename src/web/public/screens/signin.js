// The sign-in page.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { signedIn } from '../core/session.js';
import { actions, field, input, onSubmit, values } from '../widgets/form.js';

export function signin() {
  const form = h('form', { class: 'fields', novalidate: true },
    field('email', 'Email', input({ type: 'email', autocomplete: 'username', required: true })),
    field('password', 'Password', input({ type: 'password', autocomplete: 'current-password', required: true })),
    actions('Sign in'));
  onSubmit(form, async () => {
    const r = await api('/auth/login', { method: 'POST', body: values(form) });
    await signedIn(r.user);
  });
  return h('section', { class: 'card', style: 'max-width:520px' }, h('h1', {}, 'Sign in'), form, h('p', { class: 'muted' }, h('a', { href: '/docs' }, 'API reference')));
}
