// Webhooks: registration and each delivery's attempts.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { actions, field, input, onSubmit, values } from '../../widgets/form.js';

const EVENTS = ['PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'CASE_ASSIGNED', 'THRESHOLD_EXCEEDED', 'SLA_AT_RISK', 'SLA_BREACHED'];

async function deliveries(id) {
  const { items } = await api(`/webhooks/${id}/deliveries?limit=100`);
  return h('section', {}, h('h1', {}, 'Webhook deliveries'), h('p', {}, h('a', { href: '#/admin/webhooks' }, '← all webhooks')),
    h('table', {}, h('thead', {}, h('tr', {}, ['Created', 'Event', 'Status', 'Attempts (status, time)'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((d) => h('tr', {}, h('td', {}, fmtTime(d.createdAt)), h('td', {}, label(d.event)), h('td', {}, d.status),
        h('td', {}, d.attemptLog.map((a) => `${a.statusCode ?? a.error} (${a.durationMs} ms)`).join(' → ')))))));
}

export async function adminWebhooks(id) {
  if (id) return deliveries(id);
  const { items } = await api('/webhooks');
  const form = h('form', { class: 'fields', novalidate: true },
    field('url', 'URL', input({ type: 'url', required: true })), field('secret', 'Shared secret (16+ characters)', input({ type: 'password', autocomplete: 'off' })),
    field('description', 'Description', input({ type: 'text' })),
    h('fieldset', { style: 'grid-column:1/-1' }, h('legend', {}, 'Events'), EVENTS
      .map((ev) => h('label', { style: 'margin-right:14px' }, h('input', { type: 'checkbox', value: ev, 'data-event': true }), ` ${label(ev)}`))),
    actions('Register webhook'));
  onSubmit(form, async () => {
    const events = [...form.querySelectorAll('[data-event]:checked')].map((c) => c.value);
    const body = values(form);
    for (const k of Object.keys(body)) if (!['url', 'secret', 'description'].includes(k)) delete body[k];
    await api('/webhooks', { method: 'POST', body: { ...body, events } });
    go('#/admin/webhooks');
  });
  return h('section', {}, h('h1', {}, 'Webhooks'),
    h('table', {}, h('thead', {}, h('tr', {}, ['URL', 'Events', 'State', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((w) => h('tr', {}, h('td', { class: 'mono' }, w.url), h('td', {}, w.events.map(label).join(', ')), h('td', {}, w.active ? 'active' : 'disabled'), h('td', {}, h('a', { href: `#/admin/webhooks/${w.id}` }, 'Delivery log')))))),
    card(h('h2', {}, 'New webhook'), form), h('p', {}, h('a', { href: '/admin/queues' }, 'Queue dashboard (Bull Board)')));
}
