// The intelligence a seizure carries from registration: its exhibits and its observables.
import { h } from '../../core/dom.js';
import { input, numberInput, select } from '../../widgets/form.js';
import { exhibitText, observableText } from '../../widgets/intel.js';
import { OBSERVABLE_KINDS } from '../../widgets/kinds.js';
import { rowTable } from '../../widgets/rows.js';

export const exhibitRows = () => rowTable({
  path: 'exhibits', noun: 'Exhibit', hint: 'A 406 kg load is one exhibit; the lab tests samples of it.',
  columns: [
    { key: 'exhibitNumber', text: 'Exhibit number', required: true, control: () => input({ type: 'text', size: 6, placeholder: 'E1' }) },
    { key: 'description', text: 'Description', required: true, control: () => input({ type: 'text', placeholder: 'bundles in spare tyre' }) },
    { key: 'unitCount', text: 'Units', number: { integer: true, min: 1 }, control: () => numberInput({ integer: true, size: 5 }) },
    { key: 'netWeightKg', text: 'Net weight (kg)', number: { min: 0, example: '12.5' }, control: () => numberInput({ size: 7 }) },
    { key: 'packaging', text: 'Packaging', control: () => input({ type: 'text' }) },
  ],
});

export const observableRows = () => rowTable({
  path: 'observables', noun: 'Observable', hint: 'Stored as typed and normalised (phone numbers to +1…, plates and containers by their rules).',
  columns: [
    { key: 'kind', text: 'Kind', control: () => select(OBSERVABLE_KINDS.map(([value, text]) => ({ value, text }))) },
    { key: 'value', text: 'Value', required: true, control: () => input({ type: 'text' }) },
    { key: 'qualifier', text: 'State or country', control: () => input({ type: 'text', size: 4, placeholder: 'SON, MX' }) },
  ],
});

/** What the API stored, as it normalised it: nothing typed is left unaccounted for. */
export function recordedIntel(seizure) {
  const { exhibits = [], observables = [] } = seizure;
  if (!exhibits.length && !observables.length) return [];
  return h('ul', { class: 'recorded' },
    exhibits.map((e) => h('li', {}, `Exhibit ${exhibitText(e)}`)),
    observables.map((o) => h('li', {}, observableText(o))));
}
