// The bench worklist and the barcode box.
import { allPages, api } from '../../core/api.js';
import { banner } from '../../core/chrome.js';
import { debounce, h, label } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
import { field, input, showErrors } from '../../widgets/form.js';
import { dueText, slaClass } from '../../widgets/sla.js';

function scanBox() {
  const code = input({ type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'FOL…', inputmode: 'text' });
  const form = h('form', { class: 'scan' }, field('barcode', 'Scan or type barcode', code), h('button', { type: 'submit' }, 'Open'), h('span', { class: 'error form', role: 'alert' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = code.value.trim().toUpperCase();
    if (!v) return;
    try {
      const s = await api(`/samples/by-barcode/${encodeURIComponent(v)}`);
      go(`#/sample/${s.id}`);
    } catch (err) {
      showErrors(form, err.status === 404 ? Object.assign(err, { message: `No sample with barcode ${v}` }) : err);
    }
  });
  setTimeout(() => code.focus(), 0);
  return form;
}

export async function worklist() {
  const body = h('tbody');
  const load = async () => {
    const open = await allPages('/samples?open=true&limit=500', 5000);
    body.replaceChildren(...(open.length ? open.map((s) => h('tr', { class: slaClass(s), 'data-barcode': s.barcode },
      h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)),
      h('td', {}, s.portCode), h('td', { class: 'hide-narrow' }, label(s.form)),
      h('td', {}, h('span', { class: `tag ${s.priority}` }, s.priority)),
      h('td', {}, label(s.status)), h('td', {}, dueText(s)),
      h('td', {}, s.classification ? `${label(s.classification.category)} (${label(s.classification.level)})` : '—'))) : [h('tr', {}, h('td', { colspan: 7 }, 'Nothing waiting.'))]));
  };
  await load();
  // Background refreshes that fail leave the list as it was: after a sign-out there is nothing to say.
  const refresh = () => load().catch((err) => state.me && banner(err.message));
  state.onLive.add(debounce(refresh, 300));
  const timer = setInterval(() => (location.hash.startsWith('#/worklist') ? refresh() : clearInterval(timer)), 60_000); // SLA colours move with time
  return h('section', {}, h('h1', {}, 'Worklist'), scanBox(),
    h('p', { class: 'muted' }, 'Open samples, most urgent first, then by due time. Red: overdue; amber: at risk (80 % of the turnaround budget used). Updates live.'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Port', 'Form', 'Priority', 'Status', 'Due', 'Classification'].map((t, i) => h('th', { class: i === 2 ? 'hide-narrow' : '' }, t)))), body));
}
