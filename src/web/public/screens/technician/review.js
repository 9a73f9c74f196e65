// Technical review: the list of samples awaiting it, and the signed decision on the sample page.
import { api } from '../../core/api.js';
import { card, h, label } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { actions, field, input, onSubmit, values } from '../../widgets/form.js';
import { dueText, slaClass } from '../../widgets/sla.js';

export async function review() {
  const { items } = await api('/samples?status=AWAITING_REVIEW&limit=500');
  return h('section', {}, h('h1', {}, 'Awaiting technical review'),
    h('p', { class: 'muted' }, 'You cannot review a sample on which you recorded a test.'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Priority', 'Due', 'Classification'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.length ? items.map((s) => h('tr', { class: slaClass(s) }, h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, s.priority), h('td', {}, dueText(s)),
        h('td', {}, s.classification ? `${label(s.classification.category)} (${label(s.classification.level)})` : '—'))) : h('tr', {}, h('td', { colspan: 4 }, 'Nothing to review.')))));
}

export function reviewCard(sample, reload) {
  const form = h('form', { class: 'fields', novalidate: true },
    h('fieldset', { style: 'grid-column:1/-1;border:0;padding:0' }, h('legend', {}, 'Decision'),
      h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'APPROVE', checked: true }), ' Approve and release'), ' ',
      h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'REJECT' }), ' Reject (back to analysis)')),
    field('comment', 'Comment (required to reject)', h('textarea', { rows: 2 })),
    field('password', 'Electronic signature: your password', input({ type: 'password', autocomplete: 'current-password', required: true }),
      'Signing records your name, the time and the meaning "technical review — approved/rejected" for this classification version.'),
    actions('Sign review'));
  onSubmit(form, async () => {
    const r = await api(`/samples/${sample.id}/review`, { method: 'POST', body: values(form), signature: true });
    banner(`Review signed: sample ${r.status === 'RELEASED' ? 'released' : 'returned to analysis'}.`);
    await reload();
  });
  return card(h('h2', {}, 'Technical review'), form);
}
