// The case's link chart: its seizures, the seizures related to them (two hops out), and the
// observables and chemical profiles they share. Drawn with Cytoscape.js, served by this app and loaded
// by this page only; the same links are listed as a table for those who cannot see the drawing.
import { api } from '../../core/api.js';
import { card, h, label } from '../../core/dom.js';
import { forgetOnLeave } from '../../widgets/chart.js';
import { scoreText } from '../../widgets/related.js';

let loading;
const cytoscapeLib = () => (loading ??= new Promise((resolve, reject) => {
  if (window.cytoscape) return resolve(window.cytoscape);
  const s = h('script', { src: '/vendor/cytoscape.min.js' });
  s.addEventListener('load', () => resolve(window.cytoscape));
  s.addEventListener('error', () => {
    loading = null;
    reject(new Error('the graph library could not be loaded'));
  });
  document.head.append(s);
}));

const STYLE = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-wrap': 'wrap', 'text-max-width': '150px', 'text-valign': 'bottom', 'text-margin-y': 4, color: '#14171a', width: 22, height: 22 } },
  { selector: 'node[kind = "SEIZURE"]', style: { shape: 'round-rectangle', 'background-color': '#0b4f8a' } },
  { selector: 'node[?own]', style: { 'border-width': 3, 'border-color': '#ffbf47' } },
  { selector: 'node[kind = "RESTRICTED_SEIZURE"]', style: { shape: 'round-rectangle', 'background-color': '#ffffff', 'border-width': 2, 'border-style': 'dashed', 'border-color': '#4a5561' } },
  { selector: 'node[kind = "OBSERVABLE"]', style: { shape: 'diamond', 'background-color': '#b35900', width: 16, height: 16 } },
  { selector: 'node[kind = "CHEMICAL_PROFILE"]', style: { shape: 'hexagon', 'background-color': '#1b6e3a', width: 16, height: 16 } },
  { selector: 'edge', style: { width: 1, 'line-color': '#8a96a3', 'line-style': 'dotted', 'curve-style': 'bezier' } },
  { selector: 'edge[kind = "RELATED"]', style: { width: 3, 'line-color': '#0b4f8a', 'line-style': 'solid', label: 'data(scoreText)', 'font-size': 9, 'text-background-color': '#ffffff', 'text-background-opacity': 1 } },
  { selector: 'edge[status = "SUGGESTED"]', style: { 'line-style': 'dashed', width: 2 } },
];

const KIND = { SEIZURE: 'seizure', RESTRICTED_SEIZURE: 'seizure in another investigator\'s case', OBSERVABLE: 'shared observable', CHEMICAL_PROFILE: 'shared chemical profile' };

/** The links as text: one row per related pair, then what each shared observable or profile joins. */
function linkTable(net) {
  const name = new Map(net.nodes.map((n) => [n.id, n.label]));
  const related = net.edges.filter((e) => e.kind === 'RELATED');
  const shared = net.nodes.filter((n) => n.kind === 'OBSERVABLE' || n.kind === 'CHEMICAL_PROFILE')
    .map((n) => [n, net.edges.filter((e) => e.to === n.id).map((e) => name.get(e.from))]);
  return h('table', { class: 'network-links' }, h('caption', {}, 'The links of the chart'),
    h('thead', {}, h('tr', {}, ['Seizure', 'Linked to', 'How', 'Score', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {},
      related.map((e) => h('tr', {}, h('td', {}, name.get(e.from)), h('td', {}, name.get(e.to)), h('td', {}, 'related seizure'), h('td', {}, scoreText(e.score)), h('td', {}, label(e.status)))),
      shared.map(([n, seizures]) => h('tr', {}, h('td', {}, seizures.join('; ')), h('td', {}, n.label), h('td', {}, KIND[n.kind]), h('td', {}, '—'), h('td', {}, '—')))));
}

/** `own`: ids of the case's seizures (drawn outlined). Call `.draw()` once the card is on the page. */
export async function networkCard(caseId, own) {
  const net = await api(`/cases/${caseId}/network`);
  const box = h('div', { class: 'network', role: 'img', 'aria-label': `Link chart of case ${net.caseNumber}: ${net.nodes.length} nodes, ${net.edges.length} links` });
  const el = card(h('h2', {}, 'Network'),
    h('p', { class: 'muted' }, 'Blue: seizures (outlined: this case\'s); dashed: another investigator\'s case; orange diamonds: shared observables; green hexagons: shared chemical profiles. A dashed link is suggested, a solid one confirmed; the number is its score.'),
    net.edges.length ? [box, linkTable(net)] : h('p', {}, 'No links yet: the chart appears when a seizure of this case is related to another.'));
  el.draw = async () => {
    if (!net.edges.length || !box.isConnected) return;
    const cytoscape = await cytoscapeLib();
    const cy = cytoscape({
      container: box,
      elements: [
        ...net.nodes.map((n) => ({ data: { id: n.id, kind: n.kind, label: n.label, own: own.includes(n.id) } })),
        ...net.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind, status: e.status ?? '', scoreText: e.score === null ? '' : scoreText(e.score) } })),
      ],
      style: STYLE,
      // A small graph is not blown up to fill the box: labels stay at reading size.
      maxZoom: 1.2,
      minZoom: 0.2,
      layout: { name: 'cose', animate: false, padding: 40, idealEdgeLength: () => 150, nodeRepulsion: () => 400000 },
    });
    box.cy = cy;
    forgetOnLeave(cy);
  };
  return el;
}
