// The sample page: every role opens it; technicians record tests, attach files, add what the seizure
// carries, correct the record and keep custody, reviewers sign; investigators and managers see related
// seizures.
import { api } from '../../core/api.js';
import { $, card, debounce, fmtTime, h, label } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { state } from '../../core/state.js';
import { loadNames, statusName } from '../../widgets/names.js';
import { relatedSection } from '../../widgets/related.js';
import { dueText } from '../../widgets/sla.js';
import { testsTable } from '../../widgets/tests-table.js';
import { verdict } from '../../widgets/verdict.js';
import { custodyCard } from './custody.js';
import { filesCard } from './files.js';
import { reviewCard } from './review.js';
import { reprintPrompt, sampleCorrectionCard, watchHazard } from './sample-corrections.js';
import { seizureCard } from './seizure-intel.js';
import { spectralMatch } from './spectral-match.js';
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
  // Confirmations shown in the rebuilt forms ({ tests, files, custody, correction }); a live refresh keeps them.
  let notes = {};
  // A live refresh (the classification, someone else's change) redraws what is shown but keeps the
  // forms as they are being filled in (a technique chosen, a file picked, a password half typed, a
  // correction under way) while what they offer is unchanged; saving one's own form builds it afresh.
  const forms = new Map();
  let fresh = true;
  const kept = (name, key, build) => {
    const k = forms.get(name);
    if (!fresh && k?.key === key) return k.node;
    const node = build();
    forms.set(name, { key, node });
    return node;
  };
  let correcting = null;
  let corrections = null;
  // Reloads overlap (a live event during a save): only the latest one started may draw the page.
  let latest = 0;
  let related = state.me.role === 'TECHNICIAN' ? null : undefined;
  const reload = async (saved) => {
    const mine = ++latest;
    if (saved) {
      notes = saved;
      corrections = null;
    }
    fresh = fresh || !!saved;
    const [s, tests, files] = await Promise.all([api(`/samples/${id}`), api(`/samples/${id}/tests`), api(`/samples/${id}/files`)]);
    if (!state.me) return; // signed out while this was loading
    const isTech = state.me.role === 'TECHNICIAN';
    const correctable = isTech && ANALYSABLE.includes(s.status);
    const canReview = ['TECHNICIAN', 'MANAGER'].includes(state.me.role) && s.status === 'AWAITING_REVIEW' && !tests.items.some((t) => t.recordedBy === state.me.id);
    const [matches, custody, libraries, intel, correctionCard] = await Promise.all([
      Promise.all(tests.items.filter((t) => t.hitsOrigin === 'COMPUTED').map((t) => spectralMatch(t, files.items))),
      custodyCard(s, reload, notes.custody),
      correctable ? api('/spectral-libraries').then((r) => r.items) : [],
      api(`/seizures/${s.seizureId}/observables`).catch((err) => (err.status === 404 ? null : Promise.reject(err))),
      isTech && OPEN.includes(s.status) && (!corrections || corrections.count !== s.corrections.length) ? sampleCorrectionCard(s, reload, notes.correction) : null,
      // Related seizures (not for technicians) redraw themselves after a decision: built once.
      related === undefined ? relatedSection({ id: s.seizureId, seizureNumber: s.seizureNumber }).then((r) => (related = r)) : null,
    ]);
    if (mine !== latest) return;
    if (correctionCard) corrections = { count: s.corrections.length, card: correctionCard };
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
    root.replaceChildren(...[
      h('h1', {}, h('span', { class: 'mono' }, s.barcode), ' ', h('span', { class: `tag ${s.priority}` }, s.priority), ' ', h('span', { class: 'tag', 'data-status': s.status }, statusName(s.status))),
      h('p', { class: 'muted' }, 'Seizure ', seizure, ` · item ${s.itemNumber} · port ${s.portCode} · ${label(s.form)} · ${s.description} · gross ${s.grossWeightG} g${s.netWeightG != null ? ` · net ${s.netWeightG} ± ${s.netWeightUncertaintyG ?? 0} g` : ''} · due `, dueText(s)),
      actions,
      isTech ? reprintPrompt(s) : null,
      h('div', { class: 'grid' }, card(h('h2', {}, 'Classification'), verdict(s.classification))),
      card(h('h2', {}, 'Tests'), testsTable(tests.items, { onCorrect: correctable ? openCorrection : undefined }), correctionSlot,
        notes.tests && !correctable ? h('p', { class: 'confirm', role: 'status' }, notes.tests) : null),
      matches.length ? card(h('h2', {}, 'Library matches computed here'), matches) : null,
      kept('intel', JSON.stringify(intel), () => seizureCard(s, intel, reload, notes.intel)),
      related ? card(h('h2', {}, 'Related seizures'), related) : null,
      kept('files', `${s.status}|${files.items.map((f) => f.id)}`, () => filesCard(s, files.items, reload, notes.files)),
      correctable ? kept('tests', `${files.items.map((f) => f.id)}|${libraries[0]?.id}`,
        () => card(h('h2', {}, 'Record a test'), testForm(s, reload, notes.tests, { spectra: files.items.filter((f) => f.kind === 'SPECTRUM'), library: libraries[0] }))) : null,
      canReview ? await kept('review', s.classification?.version, () => reviewCard(s, tests.items, reload)) : null,
      isTech && OPEN.includes(s.status) ? corrections?.card : null,
      custody,
      card(h('h2', {}, 'Timeline'), h('ol', { class: 'timeline' }, (s.timeline ?? []).map(timelineItem))),
    ].filter(Boolean));
    // After the page is in the document (on first load the router inserts it once this resolves).
    requestAnimationFrame(() => matches.forEach((m) => m.draw()));
    fresh = false;
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
