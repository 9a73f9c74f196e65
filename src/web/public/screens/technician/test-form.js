// Recording a test: the form adapts to the technique (reagent and colour, or library hits — typed off
// the instrument's screen, or computed here from a spectrum attached to the sample).
import { api } from '../../core/api.js';
import { h, label } from '../../core/dom.js';
import { actions, field, FormError, input, numberInput, onSubmit, parseNumber, select, showSaved, values } from '../../widgets/form.js';
import { hitsPreview } from './hits-preview.js';

const SPECTRA = ['FTIR', 'RAMAN', 'MS', 'GC_MS', 'LC_MS', 'HPMS', 'NMR', 'XRD'];
/** Electron-ionisation mass spectra: what the library search here covers (LC-MS is not EI). */
const SEARCHABLE = ['GC_MS', 'MS', 'HPMS'];
const TECHNIQUES = {
  'Category A': SPECTRA,
  'Category B': ['GC', 'LC', 'TLC', 'CE', 'MICROCRYSTALLINE', 'PHARMACEUTICAL_IDENTIFIER', 'IMS'],
  'Category C': ['COLOR_TEST', 'FENTANYL_TEST_STRIP', 'IMMUNOASSAY', 'UV', 'FLUORESCENCE', 'MELTING_POINT'],
};
const SUBSTANCE_HINT = 'name, synonym or CAS';
// The strip is an immunoassay for fentanyl-class compounds: it cannot tell which one (domain note §3).
const STRIP_HINT = 'optional, recorded with the test as you type it; a positive strip counts as presumptive fentanyl whatever is named here';

/** What the API recorded, in words, for the confirmation beside the form. */
const recorded = (t) => `Recorded: ${label(t.technique)}, ${label(t.outcome)}${t.substance ? `, substance ${t.substance}` : ''}`
  + `${t.hitsOrigin === 'COMPUTED' && t.hits?.length ? `, hits computed from the spectrum (best: ${t.hits[0].libraryName}, match factor ${t.hits[0].matchFactor})` : t.hits?.length ? `, library hits ${t.hits.map((x) => `${x.substance} ${x.score}`).join(', ')}` : ''}, sampling ${t.samplingId}.`;

/** Library hits as the API takes them; a score that is not a number between 0 and 1 is refused, not sent. */
function readHits(rows) {
  const bad = [];
  const hits = rows.map(([substance, score], i) => {
    for (const [el, key] of [[substance, 'substance'], [score, 'score']]) {
      el.dataset.path = `hits.${i}.${key}`;
      el.nextElementSibling.dataset.for = el.dataset.path;
    }
    if (!substance.value.trim()) bad.push({ path: `hits.${i}.substance`, message: 'name the library match' });
    const n = score.value.trim() ? parseNumber(score.value, { min: 0, max: 1, example: '0.93' }) : { error: 'enter the match score, 0–1' };
    if ('error' in n) bad.push({ path: `hits.${i}.score`, message: n.error });
    return { substance: substance.value.trim(), score: n.value };
  });
  if (bad.length) throw new FormError(bad);
  return hits;
}

/** Computed or typed hits for a mass spectrum: the choice, and the attached spectrum to search. */
function hitsSource(spectra, library) {
  const why = !library ? 'no spectral library has been imported yet (an administrator imports one)' : !spectra.length ? 'attach a spectrum under Files first' : null;
  const radio = (value, text, checked, disabled) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'hitsSource', value, checked, disabled }), ` ${text}`);
  const file = select(spectra.map((f) => ({ value: f.id, text: f.filename })), { disabled: !!why });
  const preview = hitsPreview();
  const el = h('fieldset', { class: 'wide' }, h('legend', {}, 'Library hits'),
    radio('computed', 'Search an attached spectrum here', !why, !!why), ' ', radio('entered', 'Type the hits from the instrument\'s screen', !!why, false),
    why ? h('p', { class: 'muted' }, `Searching here is not available: ${why}.`)
      : [field('fileId', 'Spectrum to search', file, `Against ${library.name} version ${library.version}; the top 10 are recorded with their scores, the library version and the algorithm.`), preview.el]);
  const computed = () => el.querySelector('input[value="computed"]').checked;
  // The preview follows the spectrum chosen; searched again only when the choice changes.
  let shown;
  const refresh = () => {
    const chosen = computed() && el.isConnected ? file.value : null;
    if (why || chosen === shown) return;
    shown = chosen;
    preview.show(spectra.find((f) => f.id === chosen));
  };
  return { el, computed, refresh };
}

/** `spectra`: SPECTRUM files attached to the sample; `library`: the newest library version (searched when no name is given). */
export function testForm(sample, reload, note, { spectra = [], library = null } = {}) {
  const technique = select(Object.entries(TECHNIQUES).map(([g, list]) => list.map((t) => ({ value: t, text: `${label(t)} (${g.slice(-1)})` }))).flat());
  const extra = h('div', { class: 'actions' });
  const hitsBody = h('tbody');
  const slot = () => h('span', { class: 'error', 'aria-live': 'polite' });
  const hitRow = () => h('tr', {}, h('td', {}, h('input', { type: 'text', 'aria-label': 'Library hit substance', list: 'substances' }), slot()),
    h('td', {}, numberInput({ 'aria-label': 'Match score 0–1' }), slot()));
  const substance = field('substance', 'Substance indicated', input({ type: 'text', list: 'substances' }), SUBSTANCE_HINT);
  const dataRef = field('dataRef', 'Data file / spectrum ref.', input({ type: 'text' }));
  const form = h('form', { class: 'fields', novalidate: true },
    field('technique', 'Technique', technique),
    field('outcome', 'Outcome', select(['POSITIVE', 'NEGATIVE', 'INCONCLUSIVE'])),
    substance,
    field('samplingId', 'Sampling', input({ type: 'text', value: 'S1' })),
    field('instrument', 'Instrument', input({ type: 'text' })),
    dataRef,
    extra,
    actions('Record test'));
  const reagent = field('reagent', 'Reagent', input({ type: 'text', placeholder: 'Marquis' }));
  const colour = field('observedColor', 'Observed colour', input({ type: 'text' }));
  const hits = h('div', { class: 'hits', style: 'grid-column:1/-1' }, h('strong', {}, 'Library hits'), h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Substance'), h('th', {}, 'Score (0–1)'))), hitsBody),
    h('button', { type: 'button', class: 'secondary', onclick: () => hitsBody.append(hitRow()) }, 'Add hit'));
  const source = hitsSource(spectra, library);
  const adapt = () => {
    const t = technique.value;
    const searchable = SEARCHABLE.includes(t);
    const computed = searchable && source.computed();
    extra.replaceChildren(...(t === 'COLOR_TEST' ? [reagent, colour] : searchable ? [source.el, computed ? null : hits].filter(Boolean) : SPECTRA.includes(t) ? [hits] : []));
    if (SPECTRA.includes(t) && !hitsBody.children.length) hitsBody.append(hitRow());
    // Computed hits name their own substance and reference the file by its SHA-256.
    for (const f of [substance, dataRef]) {
      f.querySelector('input').disabled = computed;
      f.hidden = computed;
    }
    substance.querySelector('.muted').textContent = t === 'FENTANYL_TEST_STRIP' ? STRIP_HINT : SUBSTANCE_HINT;
    source.refresh();
  };
  technique.addEventListener('change', adapt);
  source.el.addEventListener('change', adapt);
  adapt();
  onSubmit(form, async () => {
    const body = values(form);
    delete body.hitsSource;
    const computed = SEARCHABLE.includes(body.technique) && source.computed();
    if (!computed) delete body.fileId;
    const rows = [...hitsBody.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('input')]).filter(([s, sc]) => s.value.trim() || sc.value.trim());
    if (!computed && SPECTRA.includes(body.technique) && rows.length) body.hits = readHits(rows);
    const test = await api(`/samples/${sample.id}/tests`, { method: 'POST', body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    await reload({ tests: recorded(test) });
  });
  if (note) showSaved(form, note);
  return form;
}
