// A chart with its data table: the table serves screen readers and anyone who needs the exact value;
// durations are shown in minutes or hours, whichever fits the data.
import { card, h } from '../core/dom.js';
import { chart, COLORS, destroyCharts } from './chart.js';

/** Minutes when every value is under two hours (an FOL answers in minutes), hours otherwise. */
export function durationUnit(hours) {
  const known = hours.filter((x) => typeof x === 'number');
  return known.length && Math.max(...known) < 2 ? { name: 'minutes', short: 'min', of: (x) => (x == null ? null : Math.round(x * 600) / 10) } : { name: 'hours', short: 'h', of: (x) => (x == null ? null : Math.round(x * 10) / 10) };
}

/** Destroys the charts of the last dashboard before a new one is drawn. */
export const resetCharts = destroyCharts;

/**
 * A card with a bar or line chart and the same numbers as a table. `series`: [{ label, data }] over
 * `labels`; `empty`: what to say when there is nothing to chart. Counts that are all zero are nothing to
 * chart; durations say so with `hasData` (a turnaround of 0.0 minutes is a result, not an absence).
 */
export function chartCard({ title, name, type = 'bar', labels, series, stacked = false, empty = 'No data for this period.', hasData: given }) {
  const canvas = h('canvas', { 'aria-label': `${title} (chart; the table below has the values)`, role: 'img', 'data-chart': name });
  const hasData = given ?? (labels.length > 0 && series.some((s) => s.data.some((v) => v)));
  const table = h('table', { class: 'data', 'data-table': name }, h('caption', { class: 'muted' }, `${title}: values`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), series.map((s) => h('th', { scope: 'col' }, s.label)))),
    h('tbody', {}, labels.map((l, i) => h('tr', {}, h('th', { scope: 'row' }, l), series.map((s) => h('td', {}, s.data[i] ?? '—'))))));
  const body = hasData ? [h('div', { class: 'chart' }, canvas), table] : [h('p', { class: 'empty', 'data-empty': name }, empty)];
  if (hasData) {
    requestAnimationFrame(() => {
      if (!canvas.isConnected) return;
      chart(canvas, {
        type,
        data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: COLORS[i % COLORS.length], borderColor: COLORS[i % COLORS.length] })) },
        options: stacked ? { scales: { x: { stacked: true }, y: { stacked: true } } } : {},
      });
    });
  }
  return card(h('h2', {}, title), ...body);
}
