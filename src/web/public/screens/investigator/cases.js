// Cases: the investigator's own (all of them for managers, who also assign), and the case page with
// its seizures, related seizures, network, samples, arrests and timeline.
import { api } from '../../core/api.js';
import { card, debounce, fmtTime, h, label } from '../../core/dom.js';
import { loadNames, statusName } from '../../widgets/names.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
import { banner } from '../../core/chrome.js';
import { actions, field, input, onSubmit, values } from '../../widgets/form.js';
import { intelList } from '../../widgets/intel.js';
import { relatedSection } from '../../widgets/related.js';
import { saveChoice } from '../../widgets/save-choice.js';
import { verdict } from '../../widgets/verdict.js';
import { arrestsCard } from './arrests.js';
import { networkCard } from './network.js';

export async function cases() {
  const { items } = await api('/cases?limit=500');
  const investigators = state.me.role === 'MANAGER' ? (await api('/users?role=INVESTIGATOR')).items : [];
  return h('section', {}, h('h1', {}, 'Cases'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Case', 'Port', 'Opened', 'Status', 'Assignee'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.length ? items.map((c) => h('tr', {}, h('td', {}, h('a', { href: `#/case/${c.id}`, class: 'mono' }, c.caseNumber)), h('td', {}, c.portCode), h('td', {}, fmtTime(c.openedAt)), h('td', {}, label(c.status)),
        h('td', {}, state.me.role === 'MANAGER' ? assignee(c, investigators) : c.assigneeId === state.me.id ? 'you' : c.assigneeId ?? 'unassigned'))) : h('tr', {}, h('td', { colspan: 5 }, 'No cases.')))));
}

/** The manager's assignee menu: saved with its button, never on each change (a case cannot be unassigned). */
function assignee(c, investigators) {
  const name = new Map(investigators.map((u) => [u.id, `${u.name}${u.disabled ? ' (disabled)' : ''}`]));
  const current = c.assigneeId ?? '';
  const options = [...(current ? [] : [{ value: '', text: 'unassigned' }]),
    ...investigators.filter((u) => !u.disabled || u.id === current).map((u) => ({ value: u.id, text: name.get(u.id) }))];
  return saveChoice({
    options, value: current, what: `Assignee of ${c.caseNumber}`, saveWhat: `Save assignee of ${c.caseNumber}`, allowEmpty: false,
    save: async (id, before) => {
      await api(`/cases/${c.id}/assign`, { method: 'POST', body: { investigatorId: id } });
      return `Saved: ${c.caseNumber} assigned to ${name.get(id)} (before: ${before ? name.get(before) ?? 'an unknown user' : 'nobody'}).`;
    },
  });
}

/**
 * Linking a seizure by its number, as read off the paperwork: typing part of it offers the seizures
 * not yet in a case (a datalist), and the number is what is sent.
 */
function linkForm(id) {
  const number = input({ type: 'text', required: true, list: `linkable-${id}`, autocomplete: 'off', spellcheck: 'false', placeholder: 'SZ-2604-…' });
  const options = h('datalist', { id: `linkable-${id}` });
  const found = h('span', { class: 'muted matches', 'aria-live': 'polite' });
  number.addEventListener('input', debounce(async () => {
    const q = number.value.trim();
    if (q.length < 2) return;
    const r = await api(`/cases/${id}/linkable-seizures?q=${encodeURIComponent(q)}`).catch(() => ({ items: [] }));
    options.replaceChildren(...r.items.map((z) => h('option', { value: z.seizureNumber }, `port ${z.portCode}, seized ${fmtTime(z.seizedAt)}`)));
    found.textContent = `${r.items.length} ${r.items.length === 1 ? 'seizure' : 'seizures'} not yet in a case ${r.items.length === 1 ? 'matches' : 'match'}.`;
  }, 250));
  const form = h('form', { class: 'fields', novalidate: true }, field('seizureNumber', 'Seizure number', number, 'type part of the number to search'), options, found, actions('Link seizure'));
  onSubmit(form, async () => {
    const body = values(form);
    const r = await api(`/cases/${id}/seizures`, { method: 'POST', body });
    banner(`Seizure ${body.seizureNumber} is linked to case ${r.caseNumber}.`);
    go(`#/case/${r.id}`);
  });
  return form;
}

export async function casePage(id) {
  await loadNames();
  const c = await api(`/cases/${id}`);
  // The case lists each sample's classification in short; the sample itself carries all of it
  // (the number of tests the version considered, the rationale), so each is read in full.
  const canAct = state.me.role === 'MANAGER' || c.assigneeId === state.me.id;
  const [samples, intel, related, network, arrests] = await Promise.all([
    Promise.all(c.samples.map((s) => api(`/samples/${s.id}`))),
    Promise.all(c.seizures.map((z) => api(`/seizures/${z.id}/observables`))),
    Promise.all(c.seizures.map((z) => relatedSection(z))),
    networkCard(id, c.seizures.map((z) => z.id)),
    arrestsCard(id, canAct),
  ]);
  const link = linkForm(id);
  const page = h('section', {}, h('h1', {}, `Case ${c.caseNumber}`), h('p', { class: 'muted' }, `Port ${c.portCode} · opened ${fmtTime(c.openedAt)} · ${label(c.status)}`),
    card(h('h2', {}, 'Seizures'), h('ul', { class: 'seizures' }, c.seizures.map((z, i) => h('li', { 'data-seizure': z.id },
      h('strong', { class: 'mono' }, z.seizureNumber), ` — seized ${fmtTime(z.seizedAt)}${z.subjectInCustody ? ' — subject in custody' : ''}`, intelList(intel[i])))),
    h('h3', {}, 'Link another seizure'), link),
    card(h('h2', {}, 'Related seizures'), related.filter(Boolean).length ? related.filter(Boolean) : h('p', { class: 'muted' }, 'This case has no seizure yet.')),
    network,
    card(h('h2', {}, 'Samples'), samples.length ? samples.map((s) => h('div', {}, h('h3', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode), ` — ${statusName(s.status)}`), verdict(s.classification))) : h('p', {}, 'No samples yet.')),
    arrests,
    card(h('h2', {}, 'Timeline'), h('ol', {}, c.timeline.map((t) => h('li', {}, `${fmtTime(t.at)} — ${label(t.type)}`)))));
  requestAnimationFrame(() => network.draw().catch((err) => network.append(h('p', { class: 'error', role: 'alert' }, `The chart could not be drawn: ${err.message}.`))));
  return page;
}
