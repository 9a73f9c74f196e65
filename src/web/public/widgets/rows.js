// Repeatable rows of fields in a table (a seizure's exhibits, its observables): each cell labelled,
// numbers read strictly, each refusal shown in its own cell under the path the API uses
// ("exhibits.0.netWeightKg"), and a row can be added or removed before anything is sent.
import { h } from '../core/dom.js';
import { FormError, parseNumber } from './form.js';

/**
 * `columns`: [{ key, text, control: () => Element, number?: {integer, min, max, example}, required? }].
 * Returns `{ element, read }`: `read()` gives the filled rows as the API takes them (a row left wholly
 * blank holds nothing and is not sent), numbers typed; it throws a FormError naming every bad cell.
 */
export function rowTable({ path, noun, columns, hint }) {
  const body = h('tbody');
  const cellsOf = (tr) => [...tr.querySelectorAll('[data-key]')];
  const renumber = () => [...body.rows].forEach((tr, i) => {
    for (const el of cellsOf(tr)) el.setAttribute('aria-label', `${noun} ${i + 1}: ${columns.find((c) => c.key === el.dataset.key).text}`);
    tr.querySelector('button').setAttribute('aria-label', `Remove ${noun.toLowerCase()} ${i + 1}`);
  });
  const addRow = () => {
    const tr = h('tr', {}, columns.map((c) => {
      const el = c.control();
      el.dataset.key = c.key;
      return h('td', {}, el, h('span', { class: 'error', 'aria-live': 'polite' }));
    }), h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => {
      tr.remove();
      renumber();
    } }, 'Remove')));
    body.append(tr);
    renumber();
    return tr;
  };
  const element = h('div', { class: 'rows', 'data-rows': path },
    h('table', {}, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.text)), h('th', {}, h('span', { class: 'sr-only' }, 'Remove')))), body),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => cellsOf(addRow())[0].focus() }, `Add ${noun.toLowerCase()}`),
      hint ? h('span', { class: 'muted' }, hint) : null));

  function read() {
    const out = [];
    const bad = [];
    for (const tr of body.rows) {
      const cells = cellsOf(tr);
      for (const el of cells) {
        el.removeAttribute('data-path');
        el.nextElementSibling.removeAttribute('data-for');
      }
      const filled = cells.filter((el) => el.tagName !== 'SELECT' && el.value.trim());
      if (!filled.length) continue;
      const i = out.length;
      const row = {};
      for (const el of cells) {
        const col = columns.find((c) => c.key === el.dataset.key);
        el.dataset.path = `${path}.${i}.${col.key}`;
        el.nextElementSibling.dataset.for = el.dataset.path;
        const text = el.value.trim();
        if (!text) {
          if (col.required) bad.push({ path: el.dataset.path, message: `enter the ${col.text.toLowerCase()}` });
          continue;
        }
        if (!col.number) row[col.key] = text;
        else {
          const n = parseNumber(text, col.number);
          if ('error' in n) bad.push({ path: el.dataset.path, message: n.error });
          else row[col.key] = n.value;
        }
      }
      out.push(row);
    }
    if (bad.length) throw new FormError(bad);
    return out;
  }
  return { element, read, addRow };
}
