// Technical review: the list of samples awaiting it, and the signed decision on the sample page.
import { api } from '../../core/api.js';
import { card, h } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { actions, field, FormError, input, onSubmit, values } from '../../widgets/form.js';
import { categoryName, levelName, loadNames, warningName } from '../../widgets/names.js';
import { dueText, slaClass } from '../../widgets/sla.js';

export async function review() {
  await loadNames();
  const { items } = await api('/samples?status=AWAITING_REVIEW&limit=500');
  const mine = items.filter((s) => s.testedByYou).length;
  return h('section', {}, h('h1', {}, 'Awaiting technical review'),
    h('p', { class: 'muted' }, 'You cannot review a sample on which you recorded a test: those are marked, and another person must review them.',
      mine ? ` ${mine} of ${items.length} ${mine === 1 ? 'is' : 'are'} yours.` : ''),
    h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Seizure', 'Priority', 'Due', 'Classification', 'You may review'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.length ? items.map((s) => h('tr', { class: `${slaClass(s)}${s.testedByYou ? ' not-yours' : ''}`, 'data-barcode': s.barcode },
        h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, s.seizureNumber), h('td', {}, s.priority), h('td', {}, dueText(s)),
        h('td', {}, s.classification ? `${categoryName(s.classification.category)} (${levelName(s.classification.level)})` : '—'),
        h('td', {}, s.testedByYou ? h('strong', { class: 'overdue-text' }, 'No — you recorded a test on it') : 'Yes'))) : h('tr', {}, h('td', { colspan: 6 }, 'Nothing to review.')))));
}

/** What the signature covers, in words: the version, its headline, how many tests, its warnings. */
function whatYouSign(s, tests) {
  const c = s.classification;
  const counted = tests.filter((t) => !tests.some((x) => x.correctsTestId === t.id)).length;
  return h('div', { class: 'notice', 'data-signs': c.version },
    h('strong', {}, `You sign classification version ${c.version}: ${categoryName(c.category)} (${levelName(c.level)}), from ${counted} ${counted === 1 ? 'test' : 'tests'}.`),
    c.warnings?.length ? h('ul', { class: 'warnings' }, c.warnings.map((w) => h('li', { 'data-code': w.code }, `⚠ ${warningName(w.code)}`))) : h('p', {}, 'No warnings.'),
    h('p', { class: 'muted' }, 'Check each test above (technique, instrument, data reference, library hits and scores, who recorded it and when) before you sign.'));
}

export async function reviewCard(sample, tests, reload) {
  const me = await api('/me');
  const left = h('span', { class: 'attempts' }, `${me.signatureAttemptsLeft} password ${me.signatureAttemptsLeft === 1 ? 'attempt' : 'attempts'} left before your account locks.`);
  // No decision is chosen for the reviewer: approving must be a deliberate choice.
  const form = h('form', { class: 'fields', novalidate: true },
    h('fieldset', { style: 'grid-column:1/-1;border:0;padding:0' }, h('legend', {}, 'Decision ', h('abbr', { class: 'req', title: 'required' }, '*')),
      h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'APPROVE' }), ' Approve and release'), ' ',
      h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'REJECT' }), ' Reject (back to analysis)'),
      h('span', { class: 'error', 'data-for': 'decision', 'aria-live': 'polite' })),
    field('comment', 'Comment (required to reject)', h('textarea', { rows: 2 })),
    field('password', 'Electronic signature: your password', input({ type: 'password', autocomplete: 'current-password', required: true }),
      h('span', {}, 'Signing records your name, the time and the meaning "technical review — approved/rejected" for this classification version. ', left)),
    actions('Sign review'));
  onSubmit(form, async () => {
    const body = values(form);
    if (!body.decision) throw new FormError([{ path: 'decision', message: 'choose Approve or Reject' }]);
    try {
      const r = await api(`/samples/${sample.id}/review`, { method: 'POST', body, signature: true });
      banner(`Review signed: sample ${r.status === 'RELEASED' ? 'released' : 'returned to analysis'}.`);
      await reload();
    } catch (err) {
      if (err.status === 401 && err.details?.attemptsLeft !== undefined) left.textContent = `${err.details.attemptsLeft} password ${err.details.attemptsLeft === 1 ? 'attempt' : 'attempts'} left before your account locks.`;
      throw err;
    }
  });
  return card(h('h2', {}, 'Technical review'), sample.classification ? whatYouSign(sample, tests) : null, form);
}
