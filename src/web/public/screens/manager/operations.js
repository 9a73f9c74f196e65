// Operations (a surge such as Blue Lotus): the list with their seizure counts, and opening a new one.
// Its rule — its ports, between its dates — tags the seizures it covers, now and as they come.
import { api } from '../../core/api.js';
import { card, fmtTime, h } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
import { actions, field, FormError, input, onSubmit, values } from '../../widgets/form.js';

const dates = (o) => `${o.startsOn} – ${o.endsOn ?? 'ongoing'}`;

const table = (items) => h('table', { class: 'operations' }, h('thead', {}, h('tr', {}, ['Operation', 'Dates', 'Ports', 'Seizures', 'Opened'].map((t) => h('th', { scope: 'col' }, t)))),
  h('tbody', {}, items.length ? items.map((o) => h('tr', { 'data-operation': o.id }, h('td', {}, h('a', { href: `#/operation/${o.id}` }, o.name)), h('td', {}, dates(o)),
    h('td', {}, o.portCodes.join(', ')), h('td', {}, o.seizures), h('td', {}, fmtTime(o.createdAt))))
    : h('tr', {}, h('td', { colspan: 5 }, 'No operation yet.'))));

/** Ports as checkboxes in one labelled group: an operation covers one port or several. */
function portChoice(ports) {
  return h('fieldset', { class: 'wide ports' }, h('legend', {}, 'Ports the operation covers'),
    h('div', { class: 'port-boxes' }, ports.map((p) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', value: p.code, 'data-port': p.code, 'data-path': 'portCodes' }), ` ${p.code} ${p.name}`))),
    h('span', { class: 'error', 'data-for': 'portCodes', 'aria-live': 'polite' }));
}

export async function operationsPage() {
  const [{ items }, ports] = await Promise.all([api('/operations?limit=500'), api('/ports')]);
  const canOpen = state.me.role === 'MANAGER';
  const form = h('form', { class: 'fields', novalidate: true },
    field('name', 'Name', input({ type: 'text', required: true, maxlength: 120, placeholder: 'Blue Lotus' })),
    field('startsOn', 'Starts on', input({ type: 'date', required: true, value: new Date().toISOString().slice(0, 10) })),
    field('endsOn', 'Ends on (blank: ongoing)', input({ type: 'date' })),
    portChoice(ports),
    field('description', 'Description', h('textarea', { rows: 2, required: true, maxlength: 4000 })),
    actions('Open operation'));
  onSubmit(form, async () => {
    const body = values(form);
    const portCodes = [...form.querySelectorAll('input[data-port]:checked')].map((c) => c.value);
    if (!portCodes.length) throw new FormError([{ path: 'portCodes', message: 'choose at least one port' }]);
    let o;
    try {
      o = await api('/operations', { method: 'POST', body: { ...body, portCodes } });
    } catch (err) {
      // Operation names are unique (409): said next to the name.
      if (err.status === 409) throw Object.assign(err, { details: [{ path: 'name', message: err.message }], message: 'Nothing was opened.' });
      throw err;
    }
    go(`#/operation/${o.id}`);
  });
  return h('section', {}, h('h1', {}, 'Operations'),
    h('p', { class: 'muted' }, 'An operation takes every seizure at its ports between its dates; others are added on its page. Its tally counts exhibits by their released results.'),
    table(items), canOpen ? card(h('h2', {}, 'Open an operation'), form) : null);
}
