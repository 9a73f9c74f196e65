// Form widgets: labelled fields with an error slot, typed values, and the API's messages next to the fields.
import { h, label } from '../core/dom.js';

/** A labelled field with its error slot. */
export function field(name, text, control, hint) {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  control.id = id;
  control.name = name;
  const err = h('span', { class: 'error', 'data-for': name, id: `${id}-err`, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', `${id}-err`);
  const isCheck = control.type === 'checkbox';
  return h('div', { class: isCheck ? 'field check' : 'field' }, isCheck ? [control, h('label', { for: id }, text)] : [h('label', { for: id }, text), control], hint ? h('span', { class: 'muted' }, hint) : null, err);
}
export const input = (attrs = {}) => h('input', attrs);
export const select = (options, attrs = {}) =>
  h('select', attrs, options.map((o) => (typeof o === 'string' ? h('option', { value: o }, label(o)) : h('option', { value: o.value }, o.text))));

/** The submit row: the button and the slot for messages that belong to no one field. */
export const actions = (text) => h('div', { class: 'actions' }, h('button', { type: 'submit' }, text), h('span', { class: 'error form', role: 'alert' }));

/** Form values as an object: empty fields are left out, numbers and checkboxes typed. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    }
    else if (el.value === '') continue;
    else if (el.type === 'number') out[el.name] = Number(el.value);
    else if (el.type === 'datetime-local') out[el.name] = new Date(el.value).toISOString();
    else out[el.name] = el.value.trim();
  }
  return out;
}

/** Shows API validation messages next to the fields they name ("body.grossWeightG" → name="grossWeightG"). */
export function showErrors(form, err) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.error[data-for]')) el.textContent = '';
  const general = form.querySelector('.error.form');
  if (general) general.textContent = '';
  const unplaced = [];
  for (const d of err.details ?? []) {
    const name = String(d.path).replace(/^body\./, '').split('.')[0];
    const control = form.elements.namedItem(name);
    const slot = form.querySelector(`.error[data-for="${name}"]`);
    if (control && slot) {
      control.setAttribute('aria-invalid', 'true');
      slot.textContent = d.message;
    } else unplaced.push(`${d.path}: ${d.message}`);
  }
  if (general) general.textContent = [err.message, ...unplaced].join(' — ');
  form.querySelector('[aria-invalid="true"]')?.focus();
}
