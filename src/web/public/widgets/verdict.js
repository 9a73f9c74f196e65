// A classification as the bench and the case read it: level first, then category, warnings and thresholds,
// every code by its name (GET /meta).
import { h, label } from '../core/dom.js';
import { categoryName, levelName, techniqueName, warningName } from './names.js';

const THRESHOLD = { EXCEEDS: 'exceeds', STRADDLES: 'straddles — weigh or test more units', BELOW: 'below' };

export function verdict(c) {
  if (!c) return h('div', { class: 'verdict NONE' }, h('div', { class: 'level' }, 'NOT YET CLASSIFIED'), h('p', {}, 'Record a test; the classification follows within a second.'));
  return h('div', { class: `verdict ${c.level}`, 'data-level': c.level },
    h('div', { class: 'level' }, c.level === 'PRESUMPTIVE' ? 'PRESUMPTIVE — not confirmed' : c.level === 'IDENTIFIED' ? 'IDENTIFIED' : 'NO IDENTIFICATION'),
    h('div', {}, h('strong', {}, categoryName(c.category)), ` · version ${c.version} · ${c.testCount} ${c.testCount === 1 ? 'test' : 'tests'}`),
    c.components?.length ? h('ul', {}, c.components.map((x) => h('li', {}, `${x.substance}: ${levelName(x.level)}${x.techniques?.length ? ` (${x.techniques.map(techniqueName).join(', ')})` : ''}`))) : null,
    h('details', {}, h('summary', {}, 'Rationale'), h('ul', {}, (c.rationale ?? []).map((r) => h('li', {}, r)))),
    c.warnings?.length ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, c.warnings.map((w) => h('li', { 'data-code': w.code }, '⚠ ', h('strong', {}, warningName(w.code)), `: ${w.message}`))) : null,
    c.thresholds?.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Statute', 'Limit', 'Weight', 'Status'].map((t) => h('th', {}, t)))),
      h('tbody', {}, c.thresholds.map((t) => h('tr', {}, h('td', {}, t.statute), h('td', {}, `${t.limitG} g`), h('td', {}, `${t.weightG} ± ${t.uncertaintyG} g (${label(t.basis)})`),
        h('td', {}, h('strong', { class: t.status === 'EXCEEDS' ? 'overdue-text' : t.status === 'STRADDLES' ? 'atrisk-text' : '', 'data-threshold': t.status }, THRESHOLD[t.status] ?? label(t.status))))))) : null);
}
