// The sample page: every role opens it; technicians record tests and custody, reviewers sign.
import { api } from '../../core/api.js';
import { $, card, debounce, fmtTime, h, label } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { state } from '../../core/state.js';
import { dueText } from '../../widgets/sla.js';
import { verdict } from '../../widgets/verdict.js';
import { custodyCard } from './custody.js';
import { reviewCard } from './review.js';
import { testForm } from './test-form.js';

const testsTable = (tests) => h('table', {}, h('thead', {}, h('tr', {}, ['Technique', 'Outcome', 'Substance', 'Sampling', 'When'].map((t) => h('th', {}, t)))),
  h('tbody', {}, tests.map((t) => h('tr', {}, h('td', {}, label(t.technique)), h('td', {}, label(t.outcome)), h('td', {}, t.substance ?? (t.hits ? t.hits.map((x) => `${x.substance} ${x.score}`).join(', ') : '')),
    h('td', {}, t.samplingId), h('td', {}, fmtTime(t.performedAt))))));

export async function samplePage(id) {
  const root = h('section');
  // Confirmations shown in the rebuilt forms ({ tests, custody }); a live refresh keeps them.
  let notes = {};
  const reload = async (saved) => {
    if (saved) notes = saved;
    const s = await api(`/samples/${id}`);
    const tests = await api(`/samples/${id}/tests`);
    if (!state.me) return; // signed out while this was loading
    const isTech = state.me.role === 'TECHNICIAN';
    const canReview = ['TECHNICIAN', 'MANAGER'].includes(state.me.role) && s.status === 'AWAITING_REVIEW' && !tests.items.some((t) => t.recordedBy === state.me.id);
    const actions = h('div', { class: 'actions' },
      state.me.role !== 'INVESTIGATOR' ? h('a', { class: 'button secondary', href: `/api/v1/samples/${id}/label`, target: '_blank', rel: 'noopener' }, 'Print label') : null,
      ['RELEASED', 'ROUTED'].includes(s.status) ? h('a', { class: 'button secondary', href: `/api/v1/samples/${id}/report`, target: '_blank', rel: 'noopener' }, 'Lab report (PDF)') : null,
      isTech && s.status === 'IN_ANALYSIS' ? h('button', { type: 'button', onclick: async (e) => {
        try {
          await api(`/samples/${id}/submit`, { method: 'POST' });
          await reload();
        } catch (err) {
          banner(err.message);
          e.target.disabled = false;
        }
      } }, 'Submit for review') : null);
    root.replaceChildren(...[
      h('h1', {}, h('span', { class: 'mono' }, s.barcode), ' ', h('span', { class: `tag ${s.priority}` }, s.priority), ' ', h('span', { class: 'tag', 'data-status': s.status }, label(s.status))),
      h('p', { class: 'muted' }, `Port ${s.portCode} · item ${s.itemNumber} · ${label(s.form)} · ${s.description} · gross ${s.grossWeightG} g${s.netWeightG != null ? ` · net ${s.netWeightG} ± ${s.netWeightUncertaintyG ?? 0} g` : ''} · due `, dueText(s)),
      actions,
      h('div', { class: 'grid' }, card(h('h2', {}, 'Classification'), verdict(s.classification)), card(h('h2', {}, 'Tests'), testsTable(tests.items))),
      isTech && ['QUEUED', 'IN_ANALYSIS', 'REGISTERED'].includes(s.status) ? card(h('h2', {}, 'Record a test'), testForm(s, reload, notes.tests)) : null,
      canReview ? reviewCard(s, reload) : null,
      await custodyCard(s, reload, notes.custody),
      card(h('h2', {}, 'Timeline'), h('ol', {}, (s.timeline ?? []).map((t) => h('li', {}, `${fmtTime(t.at)} — ${label(t.status)}${t.note ? `: ${t.note}` : ''}`)))),
    ].filter(Boolean));
    root.querySelector('.confirm:not(:empty)')?.scrollIntoView({ block: 'nearest' });
  };
  await reload();
  // A live refresh that fails leaves the page as it was: after a sign-out there is nothing to say.
  state.onLive.add(debounce((kind, x) => kind === 'sample' && x.id === id && reload().catch((err) => state.me && banner(err.message)), 200));
  if (!$('#substances')) {
    const subs = await api('/substances').catch(() => []);
    document.body.append(h('datalist', { id: 'substances' }, subs.map((x) => h('option', { value: x.name }))));
  }
  return root;
}
