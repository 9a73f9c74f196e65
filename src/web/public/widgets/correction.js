// Reason-logged corrections (ISO/IEC 17025 7.5): a form holding the values on record, of which only
// the changed ones are sent, with the reason; and the history of earlier corrections — old value,
// new value, who, when and why.
import { fmtTime, h, label } from '../core/dom.js';
import { actions, field, FormError, input, numberInput, onSubmit, parseNumber, select } from './form.js';

/**
 * One correctable field: `{ name, text, kind, value, nullable, options, hint, integer }` where kind is
 * 'number' | 'text' | 'textarea' | 'select' | 'check' | 'datetime' and `value` is the value on record.
 */
const toLocal = (iso) => (iso ? new Date(Date.parse(iso) - new Date(iso).getTimezoneOffset() * 60000).toISOString().slice(0, 16) : '');

function control(f) {
  if (f.kind === 'datetime') return input({ type: 'datetime-local', value: toLocal(f.value) });
  if (f.kind === 'number') return numberInput({ integer: !!f.integer, min: 0, value: f.value ?? '' });
  if (f.kind === 'select') {
    const el = select(f.options);
    el.value = f.value ?? '';
    return el;
  }
  if (f.kind === 'check') return input({ type: 'checkbox', checked: !!f.value });
  if (f.kind === 'textarea') return h('textarea', { rows: 2 }, f.value ?? '');
  return input({ type: 'text', value: f.value ?? '' });
}

/** The value typed for one field, or its refusal in words. */
function read(f, el) {
  if (f.kind === 'check') return { value: el.checked };
  if (f.kind === 'select') return { value: el.value || null };
  // A time shown to the minute is unchanged while its minute is: seconds on record are kept.
  if (f.kind === 'datetime') return !el.value ? { error: 'required: it cannot be cleared' } : { value: el.value === toLocal(f.value) ? f.value : new Date(el.value).toISOString() };
  const t = el.value.trim();
  if (!t) return f.nullable ? { value: null } : { error: 'required: it cannot be cleared' };
  if (f.kind === 'number') return parseNumber(t, { integer: !!f.integer, min: 0 });
  return { value: t };
}

/** Shows a stored value to people: none, yes/no, a time, a code in words, a number as typed. */
export const shown = (v, kind) => (v === null || v === undefined || v === '' ? 'none' : v === true ? 'yes' : v === false ? 'no'
  : kind === 'time' || /^\d{4}-\d\d-\d\dT/.test(String(v)) ? fmtTime(v) : typeof v === 'string' && /^[A-Z_]+$/.test(v) ? label(v) : String(v));

/**
 * The correction form. `save(changes, reason)` stores them and resolves to the sentence to show;
 * a form where nothing differs from the record sends nothing and says so.
 */
export function correctionForm({ fields, save, submitText = 'Save correction' }) {
  const controls = new Map(fields.map((f) => [f.name, control(f)]));
  const reason = h('textarea', { rows: 2, required: true });
  const form = h('form', { class: 'fields correction', novalidate: true },
    fields.map((f) => field(f.name, f.text, controls.get(f.name), f.hint)),
    field('reason', 'Reason for the correction', reason, 'Kept with the old and new values, your name and the time.'),
    actions(submitText));
  onSubmit(form, async () => {
    const changes = {};
    const bad = [];
    for (const f of fields) {
      const r = read(f, controls.get(f.name));
      if ('error' in r) bad.push({ path: f.name, message: r.error });
      else if ((r.value ?? null) !== (f.value ?? null)) changes[f.name] = r.value;
    }
    if (!reason.value.trim()) bad.push({ path: 'reason', message: 'say why the record is corrected' });
    if (bad.length) throw new FormError(bad);
    if (!Object.keys(changes).length) throw Object.assign(new FormError([]), { message: 'Nothing changed: edit a value, then save the correction.' });
    await save(changes, reason.value.trim());
  });
  return form;
}

/** Earlier corrections, oldest first: each field's old → new value, who, when and why. */
export function correctionHistory(corrections, fieldText) {
  if (!corrections?.length) return h('p', { class: 'muted' }, 'No corrections so far.');
  return h('ol', { class: 'history', 'aria-label': 'Corrections' }, corrections.map((c) => h('li', { 'data-correction': c.id },
    h('div', {}, h('strong', {}, fmtTime(c.correctedAt)), ` — ${c.correctedByName ?? 'someone'}${c.statusAt ? ` (sample ${label(c.statusAt)})` : ''}`),
    h('ul', {}, c.changes.map((x) => h('li', { 'data-field': x.field }, `${fieldText[x.field] ?? label(x.field)}: ${shown(x.before)} → ${shown(x.after)}`))),
    h('div', { class: 'muted' }, `Reason: ${c.reason}`))));
}
