// An operation's tally as of a date: the sentence a press office would print, the figures in kg and
// lb, arrests by jurisdiction, and two charts — net weight by category, and week by week.
import { card, h, label } from '../../core/dom.js';
import { chart, chartBox, COLORS } from '../../widgets/chart.js';

const kg = (x) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });
const lb = (x) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const PENDING = 'pending analysis';
const shortDay = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

const weights = (caption, key, lines, pending) => h('table', { class: 'tally', 'data-tally': key }, h('caption', {}, caption),
  h('thead', {}, h('tr', {}, [key === 'category' ? 'Category' : 'Substance', 'Exhibits', 'Net kg', 'Net lb'].map((t) => h('th', { scope: 'col' }, t)))),
  h('tbody', {}, lines.map((l) => h('tr', {}, h('td', {}, label(l[key])), h('td', {}, l.exhibits), h('td', {}, kg(l.netWeightKg)), h('td', {}, lb(l.netWeightLb)))),
    pending ? h('tr', { class: 'pending' }, h('td', {}, PENDING), h('td', {}, pending.exhibits), h('td', {}, kg(pending.netWeightKg)), h('td', {}, lb(pending.netWeightLb))) : null));

/** `s`: GET /operations/:id/summary. Call `.draw()` once the card is on the page. */
export function tallyCard(s) {
  const byCategory = chartBox('Net weight by category (kg)');
  const byWeek = chartBox('Week by week: net weight by category (kg) and seizures', 'chart tall');
  const el = card(h('h2', {}, `Tally as of ${new Date(s.asOf).toISOString().slice(0, 10)}`),
    h('blockquote', { class: 'sentence', 'data-sentence': true }, s.sentence),
    h('p', { class: 'figures' }, h('strong', { 'data-figure': 'seizures' }, s.seizures), ` seizure${s.seizures === 1 ? '' : 's'} · `,
      h('strong', { 'data-figure': 'arrests' }, s.arrests.total), ` arrest${s.arrests.total === 1 ? '' : 's'} (`,
      s.arrests.byJurisdiction.map((a) => `${label(a.jurisdiction)} ${a.count}`).join(', '), ') · ports ', s.ports.map((p) => `${p.portCode} (${p.seizures})`).join(', ') || 'none'),
    s.unweighedExhibits ? h('p', { class: 'muted' }, `${s.unweighedExhibits} exhibit${s.unweighedExhibits === 1 ? ' has' : 's have'} no net weight recorded and add nothing to the weights.`) : null,
    h('div', { class: 'grid' },
      weights('By category (each exhibit once, under its most serious released result)', 'category', s.byCategory, s.pendingAnalysis),
      weights('By substance', 'substance', s.bySubstance, null)),
    h('div', { class: 'grid' }, h('div', {}, h('h3', {}, 'Net weight by category'), byCategory), h('div', {}, h('h3', {}, 'Week by week'), byWeek)));
  el.draw = () => {
    chart(byCategory.firstChild, {
      type: 'bar',
      data: { labels: [...s.byCategory.map((c) => label(c.category)), PENDING], datasets: [{ label: 'net kg', data: [...s.byCategory.map((c) => c.netWeightKg), s.pendingAnalysis.netWeightKg], backgroundColor: COLORS[0] }] },
      options: { plugins: { tooltip: { callbacks: { label: (c) => `${kg(c.raw)} kg (${lb(c.raw / 0.45359237)} lb)` } } } },
    });
    const categories = [...new Set(s.byWeek.flatMap((w) => w.byCategory.map((c) => c.category)))];
    const series = [...categories.map((cat) => [label(cat), (w) => w.byCategory.find((c) => c.category === cat)?.netWeightKg ?? 0]), [PENDING, (w) => w.pendingAnalysis.netWeightKg]];
    chart(byWeek.firstChild, {
      type: 'bar',
      data: {
        labels: s.byWeek.map((w) => shortDay(w.weekStart)),
        datasets: [
          ...series.map(([name, read], i) => ({ label: `${name} (kg)`, data: s.byWeek.map(read), backgroundColor: name === PENDING ? '#c9d1d9' : COLORS[i % COLORS.length], stack: 'kg', yAxisID: 'y' })),
          { type: 'line', label: 'seizures', data: s.byWeek.map((w) => w.seizures), borderColor: COLORS[3], backgroundColor: COLORS[3], yAxisID: 'y1' },
        ],
      },
      options: { scales: { x: { stacked: true, title: { display: true, text: 'week starting (Monday, UTC)' } }, y: { stacked: true, title: { display: true, text: 'net kg' } }, y1: { position: 'right', beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: 'seizures' } } } },
    });
  };
  return el;
}
