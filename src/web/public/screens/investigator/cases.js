// Cases: the investigator's own (all of them for managers, who also assign), and the case page with
// its seizures, related seizures, network, samples, arrests and timeline.
import { api } from '../../core/api.js';
import { card, fmtTime, h, label } from '../../core/dom.js';
import { go } from '../../core/router.js';
import { state } from '../../core/state.js';
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

export async function casePage(id) {
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
  const link = h('form', { class: 'fields', novalidate: true }, field('seizureId', 'Seizure id', input({ type: 'text', required: true })), actions('Link seizure'));
  onSubmit(link, async () => {
    await api(`/cases/${id}/seizures`, { method: 'POST', body: values(link) });
    go(`#/case/${id}`);
  });
  const page = h('section', {}, h('h1', {}, `Case ${c.caseNumber}`), h('p', { class: 'muted' }, `Port ${c.portCode} · opened ${fmtTime(c.openedAt)} · ${label(c.status)}`),
    card(h('h2', {}, 'Seizures'), h('ul', { class: 'seizures' }, c.seizures.map((z, i) => h('li', { 'data-seizure': z.id },
      h('strong', { class: 'mono' }, z.seizureNumber), ` — seized ${fmtTime(z.seizedAt)}${z.subjectInCustody ? ' — subject in custody' : ''}`, intelList(intel[i])))),
    h('h3', {}, 'Link another seizure'), link),
    card(h('h2', {}, 'Related seizures'), related.filter(Boolean).length ? related.filter(Boolean) : h('p', { class: 'muted' }, 'This case has no seizure yet.')),
    network,
    card(h('h2', {}, 'Samples'), samples.length ? samples.map((s) => h('div', {}, h('h3', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode), ` — ${label(s.status)}`), verdict(s.classification))) : h('p', {}, 'No samples yet.')),
    arrests,
    card(h('h2', {}, 'Timeline'), h('ol', {}, c.timeline.map((t) => h('li', {}, `${fmtTime(t.at)} — ${label(t.type)}`)))));
  requestAnimationFrame(() => network.draw().catch((err) => network.append(h('p', { class: 'error', role: 'alert' }, `The chart could not be drawn: ${err.message}.`))));
  return page;
}
