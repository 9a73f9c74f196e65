// A classification as the bench and the case read it: level first, then category, warnings and thresholds.
import { h, label } from '../core/dom.js';

export function verdict(c) {
  if (!c) return h('div', { class: 'verdict NONE' }, h('div', { class: 'level' }, 'NOT YET CLASSIFIED'), h('p', {}, 'Record a test; the classification follows within a second.'));
  return h('div', { class: `verdict ${c.level}`, 'data-level': c.level },
    h('div', { class: 'level' }, c.level === 'PRESUMPTIVE' ? 'PRESUMPTIVE — not confirmed' : c.level === 'IDENTIFIED' ? 'IDENTIFIED' : 'NO IDENTIFICATION'),
    h('div', {}, h('strong', {}, label(c.category)), ` · version ${c.version} · ${c.testCount} ${c.testCount === 1 ? 'test' : 'tests'}`),
    c.components?.length ? h('ul', {}, c.components.map((x) => h('li', {}, `${x.substance}: ${label(x.level)}`))) : null,
    h('details', {}, h('summary', {}, 'Rationale'), h('ul', {}, (c.rationale ?? []).map((r) => h('li', {}, r)))),
    c.warnings?.length ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, c.warnings.map((w) => h('li', { 'data-code': w.code }, `⚠ ${w.message}`))) : null,
    c.thresholds?.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Statute', 'Limit', 'Weight', 'Status'].map((t) => h('th', {}, t)))),
      h('tbody', {}, c.thresholds.map((t) => h('tr', {}, h('td', {}, t.statute), h('td', {}, `${t.limitG} g`), h('td', {}, `${t.weightG} ± ${t.uncertaintyG} g (${label(t.basis)})`),
        h('td', {}, h('strong', { class: t.status === 'EXCEEDS' ? 'overdue-text' : t.status === 'STRADDLES' ? 'atrisk-text' : '' }, t.status)))))) : null);
}
