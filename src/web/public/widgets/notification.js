// One notification in the inbox: presumptive alerts stand out and carry their warnings; deconfliction
// notices say whom to call and why.
import { api } from '../core/api.js';
import { fmtTime, h, label } from '../core/dom.js';
import { setUnread } from '../core/chrome.js';
import { state } from '../core/state.js';
import { reasonList, scoreText } from './related.js';

/**
 * A deconfliction notice: your seizure relates to one in someone else's case. It names only that
 * case, its investigator and port, the score and the reasons as they concern your seizure.
 */
const deconfliction = (b) => h('div', { class: 'deconfliction' },
  h('p', {}, 'Your seizure ', h('strong', { class: 'mono' }, b.ownSeizureNumber), ' relates to a seizure in case ', h('strong', {}, b.otherCaseNumber),
    ` — investigator ${b.otherInvestigator}, port ${b.otherPortCode} — score ${scoreText(b.score)}. Contact them before acting on either case.`),
  reasonList(b.reasons ?? []));

export function notificationItem(n) {
  const li = h('li', { class: `${n.type}${n.readAt ? '' : ' unread'}`, 'data-type': n.type, 'data-id': n.id },
    h('div', {}, h('strong', {}, n.type === 'PRESUMPTIVE_ALERT' ? '⚠ ' : '', n.title)),
    n.body?.note ? h('div', {}, n.body.note) : null,
    n.type === 'RELATED_SEIZURE' && n.body ? deconfliction(n.body) : null,
    n.body?.warnings?.length ? h('ul', { class: 'warnings' }, n.body.warnings.map((w) => h('li', {}, w.message))) : null,
    h('div', { class: 'muted' }, `${label(n.type)} · ${fmtTime(n.createdAt)} `,
      n.caseId && state.me.role !== 'TECHNICIAN' ? h('a', { href: `#/case/${n.caseId}` }, 'case') : null, ' ',
      n.sampleId && (state.me.role !== 'INVESTIGATOR' || n.caseId) ? h('a', { href: `#/sample/${n.sampleId}` }, 'sample') : null, ' ',
      n.readAt ? null : h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await api(`/notifications/${n.id}/read`, { method: 'POST' });
        li.classList.remove('unread');
        li.querySelector('button')?.remove();
        setUnread(state.unread - 1);
      } }, 'Mark read')));
  return li;
}
