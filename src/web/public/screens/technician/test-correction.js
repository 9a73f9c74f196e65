// Correcting a recorded test: a new test that replaces it, with the reason (POST /samples/:id/tests with
// correctsTestId). The earlier result stays on record, marked as corrected.
import { api } from '../../core/api.js';
import { fmtTime, h } from '../../core/dom.js';
import { actions, field, FormError, input, numberInput, onSubmit, parseNumber, select, values } from '../../widgets/form.js';
import { techniqueName, techniques } from '../../widgets/names.js';

const SPECTRA = ['FTIR', 'RAMAN', 'MS', 'GC_MS', 'LC_MS', 'HPMS', 'NMR', 'XRD'];

/** One library-hit row, filled with a hit on record (or empty). */
function hitRow(i, hit) {
  const slot = (path) => h('span', { class: 'error', 'data-for': path, 'aria-live': 'polite' });
  return h('tr', {},
    h('td', {}, h('input', { type: 'text', value: hit?.substance ?? '', list: 'substances', 'aria-label': `Hit ${i + 1} substance`, 'data-path': `hits.${i}.substance` }), slot(`hits.${i}.substance`)),
    h('td', {}, numberInput({ value: hit?.score ?? '', 'aria-label': `Hit ${i + 1} score (0–1 or %)`, 'data-path': `hits.${i}.score` }), slot(`hits.${i}.score`)));
}

/** The correction form for `test`, filled with what it recorded; `done(sentence)` follows a save. */
export function testCorrectionForm(sample, test, done, cancel) {
  const technique = select(techniques().map((t) => ({ value: t.code, text: `${t.short ?? t.name} (${t.category})` })));
  technique.value = test.technique;
  const outcome = select(['POSITIVE', 'NEGATIVE', 'INCONCLUSIVE']);
  outcome.value = test.outcome;
  const hitsBody = h('tbody', {}, [...(test.hits ?? []), null].map((x, i) => hitRow(i, x)));
  const hits = h('div', { class: 'hits', style: 'grid-column:1/-1' }, h('strong', {}, 'Library hits (score 0–1, or a percentage like 93 %)'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Substance'), h('th', {}, 'Score'))), hitsBody));
  const form = h('form', { class: 'fields', novalidate: true, 'aria-label': `Correct the ${techniqueName(test.technique)} result` },
    h('p', { class: 'muted', style: 'grid-column:1/-1' }, `Correcting the ${techniqueName(test.technique)} result recorded ${fmtTime(test.recordedAt)}. It stays on record, marked as corrected by this one.`),
    field('technique', 'Technique', technique),
    field('outcome', 'Outcome', outcome),
    field('substance', 'Substance indicated', input({ type: 'text', list: 'substances', value: test.hits?.length ? '' : test.substance ?? '' }), 'name, synonym or CAS'),
    field('samplingId', 'Sampling', input({ type: 'text', value: test.samplingId })),
    field('instrument', 'Instrument', input({ type: 'text', value: test.instrument ?? '' })),
    field('dataRef', 'Data file / spectrum ref.', input({ type: 'text', value: test.dataRef ?? '' })),
    field('reagent', 'Reagent', input({ type: 'text', value: test.reagent ?? '' })),
    field('observedColor', 'Observed colour', input({ type: 'text', value: test.observedColor ?? '' })),
    hits,
    field('correctionReason', 'Reason for the correction', h('textarea', { rows: 2, required: true }), 'Kept with both results, your name and the time.'),
    actions('Save corrected result'),
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel'));
  const adapt = () => (hits.hidden = !SPECTRA.includes(technique.value));
  technique.addEventListener('change', adapt);
  adapt();
  onSubmit(form, async () => {
    const body = values(form);
    const bad = [];
    const rows = [...hitsBody.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('input')]).filter(([s, sc]) => s.value.trim() || sc.value.trim());
    if (SPECTRA.includes(body.technique) && rows.length) {
      body.hits = rows.map(([s, sc], i) => {
        const n = parseNumber(sc.value, { min: 0, max: 1, percent: true, example: '0.93' });
        if (!s.value.trim()) bad.push({ path: `hits.${i}.substance`, message: 'name the library match' });
        if ('error' in n) bad.push({ path: `hits.${i}.score`, message: sc.value.trim() ? n.error : 'enter the match score, 0–1 or a percentage' });
        return { substance: s.value.trim(), score: n.value };
      });
      delete body.substance;
    }
    if (!body.correctionReason) bad.push({ path: 'correctionReason', message: 'say why the result is corrected' });
    if (bad.length) throw new FormError(bad);
    const t = await api(`/samples/${sample.id}/tests`, { method: 'POST', body: { ...body, correctsTestId: test.id }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    await done(`Corrected: the ${techniqueName(test.technique)} result of ${fmtTime(test.recordedAt)} is replaced by ${techniqueName(t.technique)}, ${t.outcome.toLowerCase()}${t.substance ? `, ${t.substance}` : ''}. Reason: ${t.correctionReason}`);
  });
  return form;
}
