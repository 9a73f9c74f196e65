// The sample page: every role opens it; technicians record tests, correct the record and keep custody,
// reviewers sign.
import { api } from '../../core/api.js';
import { $, card, debounce, fmtTime, h, label } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { state } from '../../core/state.js';
import { loadNames, statusName } from '../../widgets/names.js';
import { dueText } from '../../widgets/sla.js';
import { testsTable } from '../../widgets/tests-table.js';
import { verdict } from '../../widgets/verdict.js';
import { custodyCard } from './custody.js';
import { reviewCard } from './review.js';
import { reprintPrompt, sampleCorrectionCard, watchHazard } from './sample-corrections.js';
import { testCorrectionForm } from './test-correction.js';
import { testForm } from './test-form.js';

const ANALYSABLE = ['QUEUED', 'IN_ANALYSIS', 'REGISTERED'];
const OPEN = [...ANALYSABLE, 'AWAITING_REVIEW', 'NEEDS_ATTENTION'];

const timelineItem = (t) => (t.kind === 'CORRECTION'
  ? h('li', { class: 'correction' }, `${fmtTime(t.at)} — correction (while ${statusName(t.status)}): ${t.note}`)
  : h('li', {}, `${fmtTime(t.at)} — ${statusName(t.status)}${t.note ? `: ${t.note}` : ''}`));

export async function samplePage(id) {
  await loadNames();
  const root = h('section');
  // Confirmations shown in the rebuilt forms ({ tests, custody, correction }); a live refresh keeps them.
  let notes = {};
  // Forms being filled in survive a live refresh: the same nodes go back in.
  let correcting = null;
  let corrections = null;
  const reload = async (saved) => {
    if (saved) {
      notes = saved;
      corrections = null;
    }
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
    const correctable = isTech && ANALYSABLE.includes(s.status);
    if (correcting && (!correctable || tests.items.some((t) => t.correctsTestId === correcting.testId))) correcting = null;
    const correctionSlot = h('div', {}, correcting?.form ?? null);
    const openCorrection = (t) => {
      watchHazard(s);
      const form = testCorrectionForm(s, t, (note) => {
        correcting = null;
        return reload({ tests: note });
      }, () => {
        correcting = null;
        correctionSlot.replaceChildren();
      });
      correcting = { testId: t.id, form };
      correctionSlot.replaceChildren(form);
      form.querySelector('textarea')?.focus();
    };
    const seizure = state.me.role === 'INVESTIGATOR' ? s.seizureNumber : h('a', { href: `#/seizure/${s.seizureId}` }, s.seizureNumber);
    if (isTech && OPEN.includes(s.status) && (!corrections || corrections.count !== s.corrections.length)) {
      corrections = { count: s.corrections.length, card: await sampleCorrectionCard(s, reload, notes.correction) };
    }
    root.replaceChildren(...[
      h('h1', {}, h('span', { class: 'mono' }, s.barcode), ' ', h('span', { class: `tag ${s.priority}` }, s.priority), ' ', h('span', { class: 'tag', 'data-status': s.status }, statusName(s.status))),
      h('p', { class: 'muted' }, 'Seizure ', seizure, ` · item ${s.itemNumber} · port ${s.portCode} · ${label(s.form)} · ${s.description} · gross ${s.grossWeightG} g${s.netWeightG != null ? ` · net ${s.netWeightG} ± ${s.netWeightUncertaintyG ?? 0} g` : ''} · due `, dueText(s)),
      actions,
      isTech ? reprintPrompt(s) : null,
      h('div', { class: 'grid' }, card(h('h2', {}, 'Classification'), verdict(s.classification))),
      card(h('h2', {}, 'Tests'), testsTable(tests.items, { onCorrect: correctable ? openCorrection : undefined }), correctionSlot,
        notes.tests && !correctable ? h('p', { class: 'confirm', role: 'status' }, notes.tests) : null),
      correctable ? card(h('h2', {}, 'Record a test'), testForm(s, reload, notes.tests)) : null,
      canReview ? await reviewCard(s, tests.items, reload) : null,
      isTech && OPEN.includes(s.status) ? corrections?.card : null,
      await custodyCard(s, reload, notes.custody),
      card(h('h2', {}, 'Timeline'), h('ol', { class: 'timeline' }, (s.timeline ?? []).map(timelineItem))),
    ].filter(Boolean));
    root.querySelector('.confirm:not(:empty)')?.scrollIntoView({ block: 'nearest' });
  };
  await reload();
  state.onLive.add(debounce((kind, x) => kind === 'sample' && x.id === id && reload(), 200));
  if (!$('#substances')) {
    const subs = await api('/substances').catch(() => []);
    document.body.append(h('datalist', { id: 'substances' }, subs.map((x) => h('option', { value: x.name }))));
  }
  return root;
}
