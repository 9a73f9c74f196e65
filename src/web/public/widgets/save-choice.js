// A menu whose choice takes effect only when its Save button is pressed, then says what was saved.
// Stepping through a <select> with the arrow keys fires a change per step: saving on change had
// reassigned duty once per key press.
import { h } from '../core/dom.js';
import { select } from './form.js';

/**
 * `options`: [{value, text}]; `value`: the saved choice; `what` / `saveWhat`: accessible names of the
 * menu and its button; `save(choice, before)`: stores the choice and resolves to the sentence to show;
 * `allowEmpty`: whether the '' option may be saved.
 */
export function saveChoice({ options, value, what, saveWhat, save, allowEmpty = true }) {
  let saved = value;
  const menu = select(options, { 'aria-label': what });
  menu.value = saved;
  const button = h('button', { type: 'button', class: 'secondary', 'aria-label': saveWhat, disabled: true }, 'Save');
  const status = h('span', { class: 'saved', role: 'status', 'aria-live': 'polite' });
  menu.addEventListener('change', () => {
    button.disabled = menu.value === saved || (!allowEmpty && menu.value === '');
    status.classList.remove('bad');
    status.textContent = menu.value === saved ? '' : 'Not saved yet.';
  });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      status.textContent = await save(menu.value, saved);
      saved = menu.value;
    } catch (err) {
      status.classList.add('bad');
      status.textContent = `Not saved: ${err.message}`;
      button.disabled = false;
    }
  });
  return h('span', { class: 'save-choice' }, menu, ' ', button, status);
}
