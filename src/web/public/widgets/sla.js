// Due-time colours: red when overdue, amber when most of the turnaround budget is used.
import { fmtTime, h } from '../core/dom.js';

const AT_RISK = 0.8;
export const isOpen = (s) => !['RELEASED', 'ROUTED'].includes(s.status);

export function slaClass(s) {
  if (!s.dueAt || !isOpen(s)) return '';
  const now = Date.now();
  const due = Date.parse(s.dueAt);
  const reg = Date.parse(s.registeredAt);
  if (now > due) return 'overdue';
  return now >= reg + (due - reg) * AT_RISK ? 'atrisk' : '';
}

export const dueText = (s) => {
  const c = slaClass(s);
  return h('span', { class: c ? `${c}-text` : '' }, fmtTime(s.dueAt), c === 'overdue' ? ' — overdue' : c === 'atrisk' ? ' — at risk' : '');
};
