// Form widgets: labelled fields with an error slot, strictly typed values, the API's messages next to
// the fields they name, and a confirmation beside the submit button.
import { h, label } from '../core/dom.js';

/** A labelled field with its error slot. */
export function field(name, text, control, hint) {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  control.id = id;
  control.name = name;
  const err = h('span', { class: 'error', 'data-for': name, id: `${id}-err`, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', `${id}-err`);
  const isCheck = control.type === 'checkbox';
  // A required field says so before anything is sent: a star for the eye (its title on hover); screen
  // readers hear "required" from the control itself, so the star stays out of the field's name.
  const mark = control.required ? h('abbr', { class: 'req', title: 'required', 'aria-hidden': 'true' }, ' *') : null;
  return h('div', { class: isCheck ? 'field check' : 'field' }, isCheck ? [control, h('label', { for: id }, text)] : [h('label', { for: id }, text, mark), control], hint ? h('span', { class: 'muted' }, hint) : null, err);
}
export const input = (attrs = {}) => h('input', attrs);
export const select = (options, attrs = {}) =>
  h('select', attrs, options.map((o) => (typeof o === 'string' ? h('option', { value: o }, label(o)) : h('option', { value: o.value }, o.text))));

/**
 * A numeric field as plain text: Chromium's number inputs silently drop what is not a digit
 * ("12O" became 12 g, "0,2" became 2), so the text stays as typed and `values` refuses it instead.
 */
export const numberInput = ({ integer = false, min, max, ...attrs } = {}) =>
  h('input', { type: 'text', inputmode: integer ? 'numeric' : 'decimal', autocomplete: 'off', spellcheck: 'false', 'data-number': integer ? 'integer' : 'decimal', 'data-min': min, 'data-max': max, ...attrs });

/**
 * Reads a number exactly as typed, or says in plain words why it is not one. Never strips characters.
 * With `percent`, "93 %" is read as 0.93 (a library score typed as people say it).
 */
export function parseNumber(text, { integer = false, min, max, percent = false, example = integer ? '12' : '12.5' } = {}) {
  const pct = percent && /^\s*\d+(\.\d+)?\s*%\s*$/.test(text);
  if (pct) {
    const n = parseNumber(text.replace('%', ''), { min: 0, max: 100, example: '93' });
    return 'error' in n ? { error: 'a percentage is between 0 % and 100 %' } : { value: Math.round(n.value * 100) / 10000 };
  }
  const t = text.trim();
  if (/^-/.test(t)) return { error: 'must not be negative' };
  if (/^\d+,\d+$/.test(t) && !integer) return { error: `"${t}" is not a number: write the decimal with a point (${t.replace(',', '.')}), not a comma` };
  if (integer && !/^\d+$/.test(t)) return { error: `"${t}" is not a whole number: count whole units, e.g. ${example}` };
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return { error: `"${t}" is not a number: use digits and a decimal point, e.g. ${example}` };
  const value = Number(t);
  if (percent && value > max && value <= 100) return { error: `must be between ${min} and ${max}: for ${t} %, type ${value / 100} or ${t} %` };
  if (min !== undefined && max !== undefined && (value < min || value > max)) return { error: `must be between ${min} and ${max}` };
  if (min !== undefined && value < min) return { error: `must be at least ${min}` };
  if (max !== undefined && value > max) return { error: `must be at most ${max}` };
  return { value };
}

/** A refusal found before anything is sent; shown like the API's validation errors. */
export class FormError extends Error {
  constructor(details) {
    super('Nothing was saved: correct the marked fields.');
    this.details = details;
  }
}

/** Form values as an object: empty fields are left out, numbers and checkboxes typed. Throws FormError on a bad number. */
export function values(form) {
  const out = {};
  const bad = [];
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    }
    else if (el.value.trim() === '') continue;
    else if (el.dataset.number) {
      const n = parseNumber(el.value, { integer: el.dataset.number === 'integer', min: num(el.dataset.min), max: num(el.dataset.max) });
      if ('error' in n) bad.push({ path: el.name, message: n.error });
      else out[el.name] = n.value;
    }
    else if (el.type === 'datetime-local') out[el.name] = new Date(el.value).toISOString();
    else out[el.name] = el.value.trim();
  }
  if (bad.length) throw new FormError(bad);
  return out;
}
const num = (s) => (s === undefined ? undefined : Number(s));

/** The submit row, and under it the form's confirmation slot, where the eye already is. */
export const actions = (text) => [
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, text), h('span', { class: 'error form', role: 'alert' })),
  h('div', { class: 'confirm', role: 'status', 'aria-live': 'polite' }),
];

/** Says what was just saved, beside the form's button, and brings it into view. */
export function showSaved(form, ...content) {
  const slot = form.querySelector('.confirm');
  slot.replaceChildren(...content.flat());
  if (slot.isConnected) slot.scrollIntoView({ block: 'nearest' });
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.error')) el.textContent = '';
  form.querySelector('.confirm')?.replaceChildren();
}

/** A field path in words when the API gave no label: "hits.0.score" → "hits 1 score"; never the raw path. */
const fieldWords = (path) => String(path).split('.').filter((p) => !['body', 'query', 'params'].includes(p))
  .map((p) => (/^\d+$/.test(p) ? String(Number(p) + 1) : p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())).join(' ') || 'request';

/**
 * Shows validation messages next to the fields they name: "body.grossWeightG" → name="grossWeightG",
 * "body.hits.0.score" → data-path="hits.0.score"; the rest go to the form's general slot.
 */
export function showErrors(form, err) {
  clearErrors(form);
  const unplaced = [];
  for (const d of Array.isArray(err.details) ? err.details : []) {
    // A correction's fields are named as the record's own: "body.changes.netWeightG" → netWeightG.
    const path = String(d.path).replace(/^body\.(changes\.)?/, '');
    const item = form.elements.namedItem(path.split('.')[0]);
    const named = item instanceof RadioNodeList ? item[0] : item; // a radio group: its first button
    // "observables.0" (a value its kind refuses) names a row: its first text cell takes the message.
    const row = CSS.escape(`${path}.`);
    const control = form.querySelector(`[data-path="${CSS.escape(path)}"]`) ?? form.querySelector(`input[data-path^="${row}"]`) ?? (named instanceof Element ? named : null);
    const slot = control && form.querySelector(`.error[data-for="${CSS.escape(control.dataset.path ?? control.name)}"]`);
    if (slot) {
      control.setAttribute('aria-invalid', 'true');
      slot.textContent = d.message;
    } else unplaced.push(`${d.label ?? fieldWords(path)}: ${d.message}`);
  }
  const general = form.querySelector('.error.form');
  if (general) general.textContent = [err.message, ...unplaced].join(' — ');
  form.querySelector('[aria-invalid="true"]')?.focus();
}

/**
 * Runs `fn(submitter)` on submit: old errors and confirmations go first, a second press while the first
 * is on its way does nothing (nothing is registered twice), and a refusal is shown next to its fields.
 * `submitter` is the button pressed, for forms with more than one (Confirm / Dismiss).
 */
export function onSubmit(form, fn) {
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    clearErrors(form);
    try {
      await fn(e.submitter);
    } catch (err) {
      showErrors(form, err);
    } finally {
      busy = false;
    }
  });
}
