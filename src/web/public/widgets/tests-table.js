// The tests of a sample as a reviewer checks them: technique by name, outcome, what it indicated or its
// library hits with scores, the sampling, the instrument and data reference, who recorded it and when.
// A corrected test stays listed, struck through, beside the correction that replaced it.
import { fmtTime, h, label } from '../core/dom.js';
import { techniqueName, techniqueTitle } from './names.js';

const pct = (score) => `${Math.round(score * 1000) / 10} %`;

/** "fentanyl 0.96 (96 %)": a library hit as the score the instrument gave and the percentage people say. */
export const hitText = (x) => `${x.substance} ${x.score} (${pct(x.score)})`;

/** What a test found: the substance named, the best computed match, the typed hits, or the reagent's colour. */
const result = (t) => t.substance ?? (t.hitsOrigin === 'COMPUTED' && t.hits?.length ? `${t.hits[0].libraryName} (MF ${t.hits[0].matchFactor})`
  : t.hits?.length ? t.hits.map(hitText).join(', ') : t.reagent ? `${t.reagent}${t.observedColor ? `: ${t.observedColor}` : ''}` : '—');
/** Whether library hits were typed off the instrument's screen or computed here from a spectrum. */
const origin = (t) => (t.hitsOrigin ? [' ', h('span', { class: `tag origin ${t.hitsOrigin}`, 'data-origin': t.hitsOrigin }, t.hitsOrigin === 'COMPUTED' ? 'computed' : 'entered')] : null);

/**
 * `tests` as GET /samples/:id/tests answers them (with recordedByName). With `onCorrect`, each test not
 * yet corrected gets a Correct button.
 */
export function testsTable(tests, { onCorrect } = {}) {
  if (!tests.length) return h('p', { class: 'muted' }, 'No tests recorded yet.');
  const byId = new Map(tests.map((t) => [t.id, t]));
  const correctedBy = new Map(tests.filter((t) => t.correctsTestId).map((t) => [t.correctsTestId, t]));
  const head = ['Technique', 'Outcome', 'Substance / library hits', 'Sampling', 'Instrument', 'Data reference', 'Recorded', ...(onCorrect ? [''] : [])];
  // Eight columns do not fit a tablet held upright: the table scrolls sideways inside its box, never the page.
  return h('div', { class: 'scroll-x' }, h('table', { class: 'tests' }, h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))),
    h('tbody', {}, tests.map((t) => {
      const replaced = correctedBy.get(t.id);
      const corrects = t.correctsTestId ? byId.get(t.correctsTestId) : null;
      return h('tr', { 'data-test': t.id, class: replaced ? 'corrected' : '' },
        h('td', { title: techniqueTitle(t.technique) }, techniqueName(t.technique)),
        h('td', {}, label(t.outcome)),
        h('td', {}, result(t), t.purityPct != null ? ` · purity ${t.purityPct} %` : '', origin(t)),
        h('td', {}, t.samplingId),
        h('td', {}, t.instrument ?? '—'),
        h('td', { class: 'mono' }, t.dataRef ?? '—'),
        h('td', {}, `${t.recordedByName ?? 'unknown'}, ${fmtTime(t.recordedAt ?? t.performedAt)}`,
          replaced ? h('div', { class: 'muted' }, `corrected ${fmtTime(replaced.recordedAt)}: ${replaced.correctionReason}`) : null,
          corrects ? h('div', { class: 'muted' }, `corrects the ${techniqueName(corrects.technique)} result of ${fmtTime(corrects.recordedAt)}: ${t.correctionReason}`) : null),
        onCorrect ? h('td', {}, replaced ? '' : h('button', { type: 'button', class: 'secondary', 'aria-label': `Correct the ${techniqueName(t.technique)} result of ${fmtTime(t.recordedAt)}`, onclick: () => onCorrect(t) }, 'Correct')) : null);
    }))));
}
