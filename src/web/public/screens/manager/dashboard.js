// The lab dashboard: turnaround, backlog, throughput (Chart.js), the overdue list, a summary for any period.
import { api } from '../../core/api.js';
import { card, h, label } from '../../core/dom.js';
import { chart, chartBox, COLORS, destroyCharts } from '../../widgets/chart.js';
import { dueText, slaClass } from '../../widgets/sla.js';
import { periodSummaryCard } from './period-summary.js';

export async function dashboard() {
  destroyCharts();
  const [byPort, byPriority, backlog, throughput, overdue, open] = await Promise.all([
    api('/reports/turnaround?groupBy=port'), api('/reports/turnaround?groupBy=priority'), api('/reports/backlog'), api('/reports/throughput'),
    api('/samples?overdue=true&limit=200'), api('/samples?open=true&limit=500'),
  ]);
  const atRisk = open.items.filter((s) => slaClass(s) === 'atrisk');
  const canvas = (name) => chartBox(name);
  const tatPort = canvas('turnaround-by-port');
  const tatPriority = canvas('turnaround-by-priority');
  const stages = canvas('turnaround-by-stage');
  const ages = canvas('backlog-by-age');
  const flow = canvas('throughput');
  const bars = (r) => ({ labels: r.groups.map((g) => g.key), datasets: [{ label: 'p50 h', data: r.groups.map((g) => g.p50Hours), backgroundColor: COLORS[0] }, { label: 'p90 h', data: r.groups.map((g) => g.p90Hours), backgroundColor: COLORS[1] }] });
  const statuses = [...new Set(backlog.byStatus.map((b) => b.status))];
  const buckets = ['<1d', '1-7d', `7-${backlog.backlogDays}d`, `>${backlog.backlogDays}d`];
  const ops = await periodSummaryCard();
  const page = h('section', {}, h('h1', {}, 'Lab dashboard'),
    h('p', { class: 'muted' }, `Turnaround: samples released in the last 30 days. Open ${backlog.open}, overdue ${backlog.overdue}, backlog (> ${backlog.backlogDays} days) ${backlog.backlog}.`),
    h('div', { class: 'grid' },
      card(h('h2', {}, 'Turnaround by port (hours)'), tatPort), card(h('h2', {}, 'Turnaround by priority (hours)'), tatPriority),
      card(h('h2', {}, 'Where the time goes (p50 / p90 hours per stage)'), stages), card(h('h2', {}, 'Open samples by age'), ages),
      card(h('h2', {}, 'Throughput per day'), flow)),
    card(h('h2', {}, `Overdue (${overdue.items.length}) and at risk (${atRisk.length})`), h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Port', 'Priority', 'Status', 'Due'].map((t) => h('th', {}, t)))),
      h('tbody', {}, [...overdue.items, ...atRisk].map((s) => h('tr', { class: slaClass(s) }, h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, s.portCode), h('td', {}, s.priority), h('td', {}, label(s.status)), h('td', {}, dueText(s))))))),
    ops);
  requestAnimationFrame(() => {
    chart(tatPort.firstChild, { type: 'bar', data: bars(byPort) });
    chart(tatPriority.firstChild, { type: 'bar', data: bars(byPriority) });
    chart(stages.firstChild, { type: 'bar', data: { labels: byPort.stages.map((s) => s.label), datasets: [{ label: 'p50 h', data: byPort.stages.map((s) => s.p50Hours), backgroundColor: COLORS[0] }, { label: 'p90 h', data: byPort.stages.map((s) => s.p90Hours), backgroundColor: COLORS[1] }] } });
    chart(ages.firstChild, { type: 'bar', data: { labels: buckets, datasets: statuses.map((st, i) => ({ label: label(st), data: buckets.map((b) => backlog.byStatus.find((x) => x.status === st && x.bucket === b)?.count ?? 0), backgroundColor: COLORS[i % COLORS.length] })) }, options: { scales: { x: { stacked: true }, y: { stacked: true } } } });
    chart(flow.firstChild, { type: 'line', data: { labels: throughput.days.map((d) => d.day.slice(5)), datasets: [{ label: 'registered', data: throughput.days.map((d) => d.registered), borderColor: COLORS[0] }, { label: 'released', data: throughput.days.map((d) => d.released), borderColor: COLORS[2] }] } });
  });
  return page;
}
