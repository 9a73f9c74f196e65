// The lab dashboard: turnaround, backlog, throughput (Chart.js, each with its data table), the overdue
// list, a summary for any period.
import { api } from '../../core/api.js';
import { card, h } from '../../core/dom.js';
import { chartCard, durationUnit, resetCharts } from '../../widgets/chart-table.js';
import { loadNames, statusName } from '../../widgets/names.js';
import { dueText, slaClass } from '../../widgets/sla.js';
import { periodSummaryCard } from './period-summary.js';

/** p50 and p90 of a turnaround report in one unit for the whole chart (minutes or hours). */
function turnaround(title, name, rows, key) {
  const unit = durationUnit(rows.flatMap((r) => [r.p50Hours, r.p90Hours]));
  return chartCard({
    title: `${title} (${unit.name})`, name, labels: rows.map(key),
    series: [{ label: `p50 ${unit.short}`, data: rows.map((r) => unit.of(r.p50Hours)) }, { label: `p90 ${unit.short}`, data: rows.map((r) => unit.of(r.p90Hours)) }],
    empty: 'Nothing released in this period.', hasData: rows.some((r) => r.count > 0),
  });
}

function overdueCard(overdue, atRisk) {
  const rows = [...overdue, ...atRisk];
  return card(h('h2', {}, `Overdue (${overdue.length}) and at risk (${atRisk.length})`),
    rows.length
      ? h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Port', 'Priority', 'Status', 'Due'].map((t) => h('th', {}, t)))),
        h('tbody', {}, rows.map((s) => h('tr', { class: slaClass(s) }, h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, s.portCode), h('td', {}, s.priority), h('td', {}, statusName(s.status)), h('td', {}, dueText(s))))))
      : h('p', { class: 'empty', 'data-empty': 'overdue' }, 'Nothing overdue and nothing at risk.'));
}

export async function dashboard() {
  resetCharts();
  await loadNames();
  const [byPort, byPriority, backlog, throughput, overdue, open] = await Promise.all([
    api('/reports/turnaround?groupBy=port'), api('/reports/turnaround?groupBy=priority'), api('/reports/backlog'), api('/reports/throughput'),
    api('/samples?overdue=true&limit=200'), api('/samples?open=true&limit=500'),
  ]);
  const atRisk = open.items.filter((s) => slaClass(s) === 'atrisk');
  const statuses = [...new Set(backlog.byStatus.map((b) => b.status))];
  const buckets = ['<1d', '1-7d', `7-${backlog.backlogDays}d`, `>${backlog.backlogDays}d`];
  const ops = await periodSummaryCard();
  return h('section', {}, h('h1', {}, 'Lab dashboard'),
    h('p', { class: 'muted' }, `Turnaround: samples released in the last 30 days. Open ${backlog.open}, overdue ${backlog.overdue}, backlog (> ${backlog.backlogDays} days) ${backlog.backlog}.`),
    h('div', { class: 'grid' },
      turnaround('Turnaround by port', 'turnaround-by-port', byPort.groups, (g) => g.key),
      turnaround('Turnaround by priority', 'turnaround-by-priority', byPriority.groups, (g) => g.key),
      turnaround('Where the time goes, per stage', 'turnaround-by-stage', byPort.stages, (s) => s.label),
      chartCard({
        title: 'Open samples by age', name: 'backlog-by-age', labels: buckets, stacked: true, empty: 'No open samples.',
        series: statuses.map((st) => ({ label: statusName(st), data: buckets.map((b) => backlog.byStatus.find((x) => x.status === st && x.bucket === b)?.count ?? 0) })),
      }),
      chartCard({
        title: 'Throughput per day', name: 'throughput', type: 'line', labels: throughput.days.map((d) => d.day.slice(5)), empty: 'Nothing registered or released in this period.',
        series: [{ label: 'registered', data: throughput.days.map((d) => d.registered) }, { label: 'released', data: throughput.days.map((d) => d.released) }],
      })),
    overdueCard(overdue.items, atRisk),
    ops);
}
