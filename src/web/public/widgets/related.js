// The seizures related to one seizure, best first: the score, each reason with its weight, and the
// decision (Confirm / Dismiss, with a note). A seizure in another investigator's case is shown the way
// deconfliction tells of it: that case's number, its investigator and port — nothing of its content.
import { api } from '../core/api.js';
import { fmtTime, h, label } from '../core/dom.js';
import { state } from '../core/state.js';
import { field, input, onSubmit, showSaved, values } from './form.js';
import { kindText } from './kinds.js';

const other = (r) => (r.restricted ? `case ${r.caseNumber ?? '(none)'} (${r.investigatorName ?? 'unassigned'}, port ${r.portCode})` : `seizure ${r.seizureNumber}`);
export const scoreText = (x) => x.toFixed(2);

// The scoring writes "vin 1M8…": after the kind's own name the value alone is enough.
const detailOf = (x) => x.detail.replace(`${x.kind.toLowerCase().replaceAll('_', ' ')} `, '');
export const reasonList = (reasons) => h('ul', { class: 'reasons' }, reasons.map((x) => h('li', { 'data-reason': x.kind },
  h('strong', {}, kindText(x.kind)), `: ${detailOf(x)}`, h('span', { class: 'muted' }, ` (weight ${scoreText(x.weight)})`))));

function heading(r) {
  if (r.restricted) {
    return [h('strong', {}, `Case ${r.caseNumber ?? '(no case)'}`), ` — another investigator's case: ${r.investigatorName ?? 'unassigned'}, port ${r.portCode}. `,
      h('span', { class: 'muted' }, 'Its seizure is not shown to you; talk to its investigator before acting.')];
  }
  return [h('strong', { class: 'mono' }, r.seizureNumber), ` — port ${r.portCode}, seized ${fmtTime(r.seizedAt)}, ${r.caseNumber ? `case ${r.caseNumber}` : 'in no case yet'}`];
}

/** One related seizure; `decided(text)` redraws the list with `text` confirmed in this item. */
function item(seizure, r, note, decided) {
  const li = h('li', { class: `related-item ${r.status}`, 'data-link': r.linkId },
    h('div', {}, heading(r)),
    h('div', {}, 'Score ', h('strong', { 'data-score': true }, scoreText(r.score)), ' · ', h('span', { class: `tag link-status ${r.status}`, 'data-status': r.status }, label(r.status))),
    reasonList(r.reasons));
  if (!['INVESTIGATOR', 'MANAGER'].includes(state.me.role)) return li;
  const form = h('form', { class: 'fields decide', novalidate: true, 'aria-label': `Decision on ${other(r)}` },
    field('note', 'Note (why)', input({ type: 'text', maxlength: 2000 })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', value: 'CONFIRM', disabled: r.status === 'CONFIRMED' }, 'Confirm'),
      h('button', { type: 'submit', value: 'DISMISS', class: 'secondary', disabled: r.status === 'DISMISSED' }, 'Dismiss'),
      h('span', { class: 'error form', role: 'alert' })),
    h('div', { class: 'confirm', role: 'status', 'aria-live': 'polite' }));
  onSubmit(form, async (submitter) => {
    const decision = submitter?.value;
    const body = { decision, ...values(form), ...(r.restricted ? { linkId: r.linkId } : { otherSeizureId: r.seizureId }) };
    await api(`/seizures/${seizure.id}/links`, { method: 'POST', body });
    await decided(r.linkId, decision === 'CONFIRM'
      ? `Confirmed: ${seizure.seizureNumber} and ${other(r)} are related.`
      : `Dismissed: ${other(r)} is not suggested again unless new evidence raises the score.`);
  });
  if (note) showSaved(form, note);
  li.append(form);
  return li;
}

/** `seizure`: {id, seizureNumber}. Resolves to a section, or null when the caller may not see the seizure. */
export async function relatedSection(seizure) {
  const section = h('section', { class: 'related', 'data-seizure': seizure.id });
  const draw = async (noteFor, note) => {
    const r = await api(`/seizures/${seizure.id}/related`);
    section.replaceChildren(h('h3', {}, `Related to seizure ${seizure.seizureNumber}`),
      r.items.length
        ? h('ol', { class: 'related-list' }, r.items.map((x) => item(seizure, x, x.linkId === noteFor ? note : null, draw)))
        : h('p', { class: 'muted' }, `No related seizure (pairs are suggested from a score of ${scoreText(r.suggestAt)}).`),
      h('p', { class: 'muted' }, `Scored with link weights version ${r.weightsVersion}. Strong reasons weigh most; a value seen on many seizures weighs less.`));
  };
  try {
    await draw();
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
  return section;
}
