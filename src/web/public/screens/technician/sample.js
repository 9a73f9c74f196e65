// The sample page: every role opens it; technicians record tests, attach files, add what the seizure
// carries and record custody, reviewers sign; investigators and managers see related seizures.
import { api } from '../../core/api.js';
import { $, card, debounce, fmtTime, h, label } from '../../core/dom.js';
import { banner } from '../../core/chrome.js';
import { state } from '../../core/state.js';
import { relatedSection } from '../../widgets/related.js';
import { dueText } from '../../widgets/sla.js';
import { verdict } from '../../widgets/verdict.js';
import { custodyCard } from './custody.js';
import { filesCard } from './files.js';
import { reviewCard } from './review.js';
import { seizureCard } from './seizure-intel.js';
import { spectralMatch } from './spectral-match.js';
import { testForm } from './test-form.js';

/** What a test found: the substance named, the typed hits, or the best computed match. */
const found = (t) => t.substance ?? (t.hitsOrigin === 'COMPUTED' && t.hits?.length ? `${t.hits[0].libraryName} (MF ${t.hits[0].matchFactor})` : t.hits ? t.hits.map((x) => `${x.substance} ${x.score}`).join(', ') : '');
const origin = (t) => (t.hitsOrigin ? h('span', { class: `tag origin ${t.hitsOrigin}`, 'data-origin': t.hitsOrigin }, t.hitsOrigin === 'COMPUTED' ? 'computed' : 'entered') : '');

const testsTable = (tests) => h('table', {}, h('thead', {}, h('tr', {}, ['Technique', 'Outcome', 'Substance', 'Hits', 'Sampling', 'When'].map((t) => h('th', {}, t)))),
  h('tbody', {}, tests.map((t) => h('tr', { 'data-test': t.id }, h('td', {}, label(t.technique)), h('td', {}, label(t.outcome)), h('td', {}, found(t)), h('td', {}, origin(t)),
    h('td', {}, t.samplingId), h('td', {}, fmtTime(t.performedAt))))));

export async function samplePage(id) {
  const root = h('section');
  // Confirmations shown in the rebuilt forms ({ tests, files, custody }); a live refresh keeps them.
  let notes = {};
  // A live refresh (the classification, someone else's change) redraws what is shown but keeps the
  // forms as they are being filled in (a technique chosen, a file picked, a password half typed) while
  // what they offer is unchanged; saving one's own form builds it afresh.
  const forms = new Map();
  let fresh = true;
  const kept = (name, key, build) => {
    const k = forms.get(name);
    if (!fresh && k?.key === key) return k.node;
    const node = build();
    forms.set(name, { key, node });
    return node;
  };
  // Reloads overlap (a live event during a save): only the latest one started may draw the page.
  let latest = 0;
  let related = state.me.role === 'TECHNICIAN' ? null : undefined;
  const reload = async (saved) => {
    const mine = ++latest;
    if (saved) notes = saved;
    fresh = fresh || !!saved;
    const [s, tests, files] = await Promise.all([api(`/samples/${id}`), api(`/samples/${id}/tests`), api(`/samples/${id}/files`)]);
    if (!state.me) return; // signed out while this was loading
    const isTech = state.me.role === 'TECHNICIAN';
    const canTest = isTech && ['QUEUED', 'IN_ANALYSIS', 'REGISTERED'].includes(s.status);
    const canReview = ['TECHNICIAN', 'MANAGER'].includes(state.me.role) && s.status === 'AWAITING_REVIEW' && !tests.items.some((t) => t.recordedBy === state.me.id);
    const [matches, custody, libraries, intel] = await Promise.all([
      Promise.all(tests.items.filter((t) => t.hitsOrigin === 'COMPUTED').map((t) => spectralMatch(t, files.items))),
      custodyCard(s, reload, notes.custody),
      canTest ? api('/spectral-libraries').then((r) => r.items) : [],
      api(`/seizures/${s.seizureId}/observables`).catch((err) => (err.status === 404 ? null : Promise.reject(err))),
      // Related seizures (not for technicians) redraw themselves after a decision: built once.
      related === undefined ? relatedSection({ id: s.seizureId, seizureNumber: s.seizureNumber }).then((r) => (related = r)) : null,
    ]);
    if (mine !== latest) return;
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
      matches.length ? card(h('h2', {}, 'Library matches computed here'), matches) : null,
      kept('intel', JSON.stringify(intel), () => seizureCard(s, intel, reload, notes.intel)),
      related ? card(h('h2', {}, 'Related seizures'), related) : null,
      kept('files', `${s.status}|${files.items.map((f) => f.id)}`, () => filesCard(s, files.items, reload, notes.files)),
      canTest ? kept('tests', `${files.items.map((f) => f.id)}|${libraries[0]?.id}`,
        () => card(h('h2', {}, 'Record a test'), testForm(s, reload, notes.tests, { spectra: files.items.filter((f) => f.kind === 'SPECTRUM'), library: libraries[0] }))) : null,
      canReview ? kept('review', s.classification?.version, () => reviewCard(s, reload)) : null,
      custody,
      card(h('h2', {}, 'Timeline'), h('ol', {}, (s.timeline ?? []).map((t) => h('li', {}, `${fmtTime(t.at)} — ${label(t.status)}${t.note ? `: ${t.note}` : ''}`)))),
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
