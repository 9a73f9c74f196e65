// A test whose library hits were computed here from an attached spectrum: the library version and
// algorithm behind it, an isomer warning, the top 10 with every score, and the spectra head to tail.
import { api } from '../../core/api.js';
import { fmtTime, h, label, shortHash } from '../../core/dom.js';
import { chart, chartBox, COLORS } from '../../widgets/chart.js';

let catalogue;
const substanceById = async () => (catalogue ??= new Map((await api('/substances')).map((s) => [s.id, s])));

/** Peaks scaled to base peak 999 at integer m/z (duplicates summed), as the plot draws them. */
export function toPlot(peaks, sign = 1) {
  const sum = new Map();
  for (const [mz, i] of peaks) sum.set(Math.round(mz), (sum.get(Math.round(mz)) ?? 0) + i);
  const base = Math.max(...sum.values(), 0) || 1;
  return [...sum].sort(([a], [b]) => a - b).map(([x, i]) => ({ x, y: sign * Math.round((i / base) * 999) }));
}

function headToTail(box, query, record, fileName) {
  const up = toPlot(query.peaks);
  const down = toPlot(record.peaks, -1);
  const xs = [...up, ...down].map((p) => p.x);
  const bars = (data, color, text) => ({ label: text, data, backgroundColor: color, borderColor: color, barThickness: 2, grouped: false });
  chart(box.querySelector('canvas'), {
    type: 'bar',
    data: { datasets: [bars(up, COLORS[0], `Query: ${fileName}`), bars(down, COLORS[3], `Library: ${record.name}`)] },
    options: {
      scales: {
        x: { type: 'linear', min: Math.min(...xs) - 5, max: Math.max(...xs) + 5, title: { display: true, text: 'm/z' } },
        y: { min: -1000, max: 1000, ticks: { callback: (v) => Math.abs(v) }, title: { display: true, text: 'intensity (base peak 999)' } },
      },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label} — m/z ${c.raw.x}: ${Math.abs(c.raw.y)}` } } },
    },
  });
}

/** The ten largest peaks of each spectrum, for those who cannot see the plot. */
const peakTable = (caption, points) => h('table', { class: 'peaks' }, h('caption', {}, caption), h('thead', {}, h('tr', {}, h('th', {}, 'm/z'), h('th', {}, 'intensity'))),
  h('tbody', {}, [...points].sort((a, b) => Math.abs(b.y) - Math.abs(a.y)).slice(0, 10).map((p) => h('tr', {}, h('td', {}, p.x), h('td', {}, Math.abs(p.y))))));

const params = (p) => Object.entries(p ?? {}).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `${k} ${v}`).join(' · ');

/** One computed test, in full; call `.draw()` once it is on the page. `files`: the sample's files, to name the spectrum searched. */
export async function spectralMatch(test, files) {
  const search = test.spectralSearch;
  const hits = test.hits ?? [];
  const [subs, records, query] = await Promise.all([
    substanceById(),
    Promise.all(hits.map((x) => api(`/spectral-records/${x.recordId}`).catch(() => null))),
    test.fileId ? api(`/files/${test.fileId}/spectrum`).catch(() => null) : null,
  ]);
  const file = files.find((f) => f.id === test.fileId);
  const fileName = file?.filename ?? 'attached spectrum';
  const best = records[0];
  const plot = chartBox(`Head-to-tail plot: ${fileName} above, ${best?.name ?? 'best hit'} below`, 'chart tall');
  const section = h('section', { class: 'match', 'data-test': test.id },
    h('h3', {}, `${label(test.technique)}, ${fmtTime(test.performedAt)} — hits computed here from ${fileName}`),
    h('p', { class: 'muted' }, `Library ${search.library.name} version ${search.library.version} (SHA-256 `, shortHash(search.library.sha256), `) · algorithm ${search.algorithm.name} · ${search.queryPeaks} query peaks`,
      h('br'), `Parameters: ${params(search.algorithm.params)}`),
    search.isomerAmbiguous
      ? h('div', { class: 'notice warn', role: 'note', 'data-isomers': true }, h('strong', {}, '⚠ Isomers cannot be told apart by this search. '),
        `${search.isomerCandidates.join(', ')} have the same formula and nearly the same spectrum. Confirm which one by retention time against a reference standard or by another technique.`)
      : null,
    h('table', { class: 'hits-computed' }, h('caption', {}, 'Top 10 library matches'),
      h('thead', {}, h('tr', {}, ['Rank', 'Library record', 'Catalogue substance', 'Category', 'Match factor', 'Reverse MF', 'Entropy similarity'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, hits.map((x, i) => {
        const s = subs.get(records[i]?.substanceId);
        return h('tr', {}, h('td', {}, x.rank), h('td', {}, x.libraryName), h('td', {}, s ? s.name : h('span', { class: 'muted' }, 'not in the catalogue')), h('td', {}, s ? label(s.category) : '—'),
          h('td', {}, x.matchFactor), h('td', {}, x.reverseMatchFactor), h('td', {}, x.entropySimilarity.toFixed(3)));
      }))),
    query && best ? [h('h4', {}, `Query against the best match (${best.name}), head to tail`), plot,
      h('details', {}, h('summary', {}, 'Largest peaks as tables'), h('div', { class: 'grid' }, peakTable(`Query: ${fileName}`, toPlot(query.peaks)), peakTable(`Library: ${best.name}`, toPlot(best.peaks))))]
      : h('p', { class: 'muted' }, 'The spectra could not be read for the plot.'));
  // Drawn once the section is on the page (Chart.js sizes the canvas from its box).
  section.draw = () => query && best && headToTail(plot, query, best, fileName);
  return section;
}
