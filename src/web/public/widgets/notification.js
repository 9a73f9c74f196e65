// One notification in the inbox: presumptive alerts stand out, carry their warnings, link to their
// sample and case, and say when a later result has superseded them; deconfliction notices say whom to
// call and why.
import { api } from '../core/api.js';
import { fmtTime, h, label } from '../core/dom.js';
import { markedRead } from '../core/session.js';
import { state } from '../core/state.js';
import { categoryName } from './names.js';
import { reasonList, scoreText } from './related.js';

/** "superseded — identified" / "superseded — released" once the alert's sample has moved on; null before. */
export function superseded(n) {
  const c = n.current;
  if (n.type !== 'PRESUMPTIVE_ALERT' || !c) return null;
  const released = ['RELEASED', 'ROUTED'].includes(c.status);
  if (!released && c.level !== 'IDENTIFIED') return null;
  const what = released ? `released${c.level === 'IDENTIFIED' ? ', identified' : ''}` : 'identified';
  return `superseded — ${what}${c.category ? ` (${categoryName(c.category)})` : ''}`;
}

/**
 * A deconfliction notice: your seizure relates to one in someone else's case. It names only that
 * case, its investigator and port, the score and the reasons as they concern your seizure.
 */
const deconfliction = (b) => h('div', { class: 'deconfliction' },
  h('p', {}, 'Your seizure ', h('strong', { class: 'mono' }, b.ownSeizureNumber), ' relates to a seizure in case ', h('strong', {}, b.otherCaseNumber),
    ` — investigator ${b.otherInvestigator}, port ${b.otherPortCode} — score ${scoreText(b.score)}. Contact them before acting on either case.`),
  reasonList(b.reasons ?? []));

export function notificationItem(n) {
  const caseId = n.caseId ?? n.current?.caseId ?? null;
  const later = superseded(n);
  // An investigator opens a sample only through a case of theirs; lab staff open any sample.
  const sampleLink = n.sampleId && (state.me.role !== 'INVESTIGATOR' || caseId);
  const li = h('li', { class: `${n.type}${n.readAt ? '' : ' unread'}${later ? ' superseded' : ''}`, 'data-type': n.type, 'data-id': n.id },
    h('div', {}, h('strong', {}, n.type === 'PRESUMPTIVE_ALERT' ? '⚠ ' : '', n.title), later ? h('span', { class: 'tag', 'data-superseded': true }, later) : null),
    n.body?.note ? h('div', {}, n.body.note) : null,
    n.type === 'RELATED_SEIZURE' && n.body ? deconfliction(n.body) : null,
    n.body?.warnings?.length ? h('ul', { class: 'warnings' }, n.body.warnings.map((w) => h('li', {}, w.message))) : null,
    h('div', { class: 'muted' }, `${label(n.type)} · ${fmtTime(n.createdAt)} `,
      caseId && state.me.role !== 'TECHNICIAN' ? h('a', { href: `#/case/${caseId}` }, 'Open the case') : null, ' ',
      sampleLink ? h('a', { href: `#/sample/${n.sampleId}` }, 'Open the sample') : null,
      n.sampleId && !sampleLink ? 'the sample opens here once it joins one of your cases' : null, ' ',
      n.readAt ? null : h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await api(`/notifications/${n.id}/read`, { method: 'POST' });
        li.classList.remove('unread');
        li.querySelector('button')?.remove();
        markedRead(n.id);
      } }, 'Mark read')));
  return li;
}
