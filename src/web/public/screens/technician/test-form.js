// Recording a test: the form adapts to the technique (reagent and colour, or a table of library hits).
import { api } from '../../core/api.js';
import { h, label } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { actions, field, input, select, showErrors, values } from '../../widgets/form.js';

const SPECTRA = ['FTIR', 'RAMAN', 'MS', 'GC_MS', 'LC_MS', 'HPMS', 'NMR', 'XRD'];
const TECHNIQUES = {
  'Category A': SPECTRA,
  'Category B': ['GC', 'LC', 'TLC', 'CE', 'MICROCRYSTALLINE', 'PHARMACEUTICAL_IDENTIFIER', 'IMS'],
  'Category C': ['COLOR_TEST', 'FENTANYL_TEST_STRIP', 'IMMUNOASSAY', 'UV', 'FLUORESCENCE', 'MELTING_POINT'],
};

export function testForm(sample, reload) {
  const technique = select(Object.entries(TECHNIQUES).map(([g, list]) => list.map((t) => ({ value: t, text: `${label(t)} (${g.slice(-1)})` }))).flat());
  const extra = h('div', { class: 'actions' });
  const hitsBody = h('tbody');
  const hitRow = () => h('tr', {}, h('td', {}, h('input', { type: 'text', 'aria-label': 'Library hit substance', list: 'substances' })), h('td', {}, h('input', { type: 'number', step: '0.01', min: '0', max: '1', 'aria-label': 'Match score 0–1' })));
  const form = h('form', { class: 'fields', novalidate: true },
    field('technique', 'Technique', technique),
    field('outcome', 'Outcome', select(['POSITIVE', 'NEGATIVE', 'INCONCLUSIVE'])),
    field('substance', 'Substance indicated', input({ type: 'text', list: 'substances' }), 'name, synonym or CAS'),
    field('samplingId', 'Sampling', input({ type: 'text', value: 'S1' })),
    field('instrument', 'Instrument', input({ type: 'text' })),
    field('dataRef', 'Data file / spectrum ref.', input({ type: 'text' })),
    extra,
    actions('Record test'));
  const reagent = field('reagent', 'Reagent', input({ type: 'text', placeholder: 'Marquis' }));
  const colour = field('observedColor', 'Observed colour', input({ type: 'text' }));
  const hits = h('div', { class: 'hits', style: 'grid-column:1/-1' }, h('strong', {}, 'Library hits'), h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Substance'), h('th', {}, 'Score'))), hitsBody),
    h('button', { type: 'button', class: 'secondary', onclick: () => hitsBody.append(hitRow()) }, 'Add hit'));
  const adapt = () => {
    const t = technique.value;
    extra.replaceChildren(...(t === 'COLOR_TEST' ? [reagent, colour] : SPECTRA.includes(t) ? [hits] : []));
    if (SPECTRA.includes(t) && !hitsBody.children.length) hitsBody.append(hitRow());
    form.elements.namedItem('substance').closest('.field').hidden = t === 'FENTANYL_TEST_STRIP';
  };
  technique.addEventListener('change', adapt);
  adapt();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = values(form);
    const rows = [...hitsBody.querySelectorAll('tr')].map((tr) => tr.querySelectorAll('input')).filter(([s, sc]) => s.value && sc.value);
    if (SPECTRA.includes(body.technique) && rows.length) body.hits = rows.map(([s, sc]) => ({ substance: s.value.trim(), score: Number(sc.value) }));
    if (body.technique === 'FENTANYL_TEST_STRIP') delete body.substance;
    try {
      await api(`/samples/${sample.id}/tests`, { method: 'POST', body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      banner('Test recorded; classifying…');
      await reload();
    } catch (err) {
      showErrors(form, err);
    }
  });
  return form;
}
