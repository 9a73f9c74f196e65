// Choosing a person from a long directory: a menu with a search box above it that narrows the menu
// to the names containing what is typed (and picks the only one left).
import { h, label } from '../core/dom.js';
import { field, select } from './form.js';

/** `people`: [{ id, name, role }]; the menu's value is the chosen id ('' for nobody); `find` names the search box. */
export function personPicker(name, text, people, { hint, find }) {
  const menu = select([{ value: '', text: '—' }, ...people.map((p) => ({ value: p.id, text: `${p.name} (${label(p.role)})` }))]);
  const search = h('input', { type: 'search', autocomplete: 'off', placeholder: 'type part of a name', 'aria-label': find });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  search.addEventListener('input', () => {
    const q = search.value.trim().toLowerCase();
    const shown = [...menu.options].filter((o) => {
      const hit = !o.value || !q || o.text.toLowerCase().includes(q);
      o.hidden = !hit;
      return hit && o.value;
    });
    if (q && shown.length === 1) menu.value = shown[0].value;
    count.textContent = q ? `${shown.length} ${shown.length === 1 ? 'match' : 'matches'}` : '';
  });
  const f = field(name, text, menu, hint);
  f.insertBefore(h('div', { class: 'picker' }, search, count), menu);
  return f;
}
