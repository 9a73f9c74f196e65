// Screens per role. Each view returns a DOM node; live updates come through state.onLive.
import { $, api, banner, field, fmtTime, go, h, home, input, label, select, setUnread, showErrors, signedIn, state, values } from './app.js';

const SPECTRA = ['FTIR', 'RAMAN', 'MS', 'GC_MS', 'LC_MS', 'HPMS', 'NMR', 'XRD'];
const TECHNIQUES = {
  'Category A': SPECTRA,
  'Category B': ['GC', 'LC', 'TLC', 'CE', 'MICROCRYSTALLINE', 'PHARMACEUTICAL_IDENTIFIER', 'IMS'],
  'Category C': ['COLOR_TEST', 'FENTANYL_TEST_STRIP', 'IMMUNOASSAY', 'UV', 'FLUORESCENCE', 'MELTING_POINT'],
};
const FORMS = ['POWDER', 'TABLET', 'CRYSTAL', 'LIQUID', 'PLANT', 'RESIDUE', 'OTHER'];
const CONVEYANCES = ['PASSENGER_VEHICLE', 'COMMERCIAL_TRUCK', 'PEDESTRIAN', 'BUS', 'RAIL', 'AIR', 'MAIL', 'EXPRESS_CONSIGNMENT', 'OTHER'];
const CUSTODY = ['TRANSFERRED', 'RECEIVED', 'OPENED', 'SAMPLED', 'RESEALED', 'SEALED', 'STORED', 'RETURNED', 'DESTROYED'];
const OPEN = (s) => !['RELEASED', 'ROUTED'].includes(s.status);
const AT_RISK = 0.8;

function slaClass(s) {
  if (!s.dueAt || !OPEN(s)) return '';
  const now = Date.now();
  const due = Date.parse(s.dueAt);
  const reg = Date.parse(s.registeredAt);
  if (now > due) return 'overdue';
  return now >= reg + (due - reg) * AT_RISK ? 'atrisk' : '';
}
const dueText = (s) => {
  const c = slaClass(s);
  return h('span', { class: c ? `${c}-text` : '' }, fmtTime(s.dueAt), c === 'overdue' ? ' — overdue' : c === 'atrisk' ? ' — at risk' : '');
};
const card = (...children) => h('div', { class: 'card' }, ...children);

/** Follows a list's cursor until it ends (or `max` items): a busy port can have more than one page open. */
async function allPages(path, max) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}
const debounce = (fn, ms) => {
  let t;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
};

// ---------- sign-in ----------
function signin() {
  const form = h('form', { class: 'fields', novalidate: true },
    field('email', 'Email', input({ type: 'email', autocomplete: 'username', required: true })),
    field('password', 'Password', input({ type: 'password', autocomplete: 'current-password', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in'), h('span', { class: 'error form', role: 'alert' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('/auth/login', { method: 'POST', body: values(form) });
      await signedIn(r.user);
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h('section', { class: 'card', style: 'max-width:520px' }, h('h1', {}, 'Sign in'), form, h('p', { class: 'muted' }, h('a', { href: '/docs' }, 'API reference')));
}

// ---------- technician: worklist ----------
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

async function worklist() {
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
  state.onLive.add(debounce(load, 300));
  const timer = setInterval(() => (location.hash.startsWith('#/worklist') ? load() : clearInterval(timer)), 60_000); // SLA colours move with time
  return h('section', {}, h('h1', {}, 'Worklist'), scanBox(),
    h('p', { class: 'muted' }, 'Open samples, most urgent first, then by due time. Red: overdue; amber: at risk (80 % of the turnaround budget used). Updates live.'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Port', 'Form', 'Priority', 'Status', 'Due', 'Classification'].map((t, i) => h('th', { class: i === 2 ? 'hide-narrow' : '' }, t)))), body));
}

// ---------- technician: intake ----------
async function intake() {
  const ports = await api('/ports');
  const portOptions = ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` }));
  const out = h('div');
  const seizureForm = h('form', { class: 'fields', novalidate: true },
    field('portCode', 'Port of entry', select(portOptions)),
    field('seizedAt', 'Seized at (local time)', input({ type: 'datetime-local', required: true, value: new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16) })),
    field('seizureNumber', 'Seizure number (blank: assigned)', input({ type: 'text' })),
    field('conveyance', 'Conveyance', select(CONVEYANCES)),
    field('subjectInCustody', 'Subject in custody', input({ type: 'checkbox' })),
    field('controlledDeliveryPending', 'Controlled delivery pending', input({ type: 'checkbox' })),
    field('narrative', 'Narrative', h('textarea', { rows: 2 })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Open seizure'), h('span', { class: 'error form', role: 'alert' })));
  seizureForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const seizure = await api('/seizures', { method: 'POST', body: values(seizureForm), headers: { 'Idempotency-Key': crypto.randomUUID() } });
      seizureForm.querySelectorAll('input,select,textarea,button').forEach((el) => (el.disabled = true));
      out.replaceChildren(sampleForm(seizure));
    } catch (err) {
      showErrors(seizureForm, err);
    }
  });
  return h('section', {}, h('h1', {}, 'New seizure'), card(h('h2', {}, '1. Seizure'), seizureForm), out);
}

function sampleForm(seizure) {
  const created = h('ul');
  const form = h('form', { class: 'fields', novalidate: true },
    field('form', 'Form', select(FORMS)),
    field('description', 'Description', input({ type: 'text', required: true, placeholder: 'white powder in knotted bag' })),
    field('grossWeightG', 'Gross weight (g)', input({ type: 'number', step: 'any', min: '0', required: true })),
    field('netWeightG', 'Net weight (g)', input({ type: 'number', step: 'any', min: '0' })),
    field('netWeightUncertaintyG', 'Net weight uncertainty ± (g)', input({ type: 'number', step: 'any', min: '0' })),
    field('unitCount', 'Units (tablets, bags)', input({ type: 'number', step: '1', min: '1' })),
    field('sealNumber', 'Seal number', input({ type: 'text', required: true })),
    field('markings', 'Markings', input({ type: 'text' })),
    field('color', 'Colour', input({ type: 'text' })),
    field('priority', 'Priority (blank: from the seizure)', select([{ value: '', text: 'automatic' }, 'URGENT', 'PRIORITY', 'ROUTINE'])),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Register sample'), h('span', { class: 'error form', role: 'alert' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const s = await api('/samples', { method: 'POST', body: { seizureId: seizure.id, ...values(form) }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      created.append(h('li', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode), ` — item ${s.itemNumber}, ${label(s.priority)}, due ${fmtTime(s.dueAt)} · `,
        h('a', { href: `/api/v1/samples/${s.id}/label`, target: '_blank', rel: 'noopener', 'data-label': s.id }, 'Print label')));
      form.reset();
      form.elements.namedItem('description').focus();
    } catch (err) {
      showErrors(form, err);
    }
  });
  return card(h('h2', {}, `2. Samples of seizure ${seizure.seizureNumber}`), form, h('h3', {}, 'Registered'), created);
}

// ---------- sample page ----------
function verdict(c) {
  if (!c) return h('div', { class: 'verdict NONE' }, h('div', { class: 'level' }, 'NOT YET CLASSIFIED'), h('p', {}, 'Record a test; the classification follows within a second.'));
  return h('div', { class: `verdict ${c.level}`, 'data-level': c.level },
    h('div', { class: 'level' }, c.level === 'PRESUMPTIVE' ? 'PRESUMPTIVE — not confirmed' : c.level === 'IDENTIFIED' ? 'IDENTIFIED' : 'NO IDENTIFICATION'),
    h('div', {}, h('strong', {}, label(c.category)), ` · version ${c.version} · ${c.testCount} test(s)`),
    c.components?.length ? h('ul', {}, c.components.map((x) => h('li', {}, `${x.substance}: ${label(x.level)}`))) : null,
    h('details', {}, h('summary', {}, 'Rationale'), h('ul', {}, (c.rationale ?? []).map((r) => h('li', {}, r)))),
    c.warnings?.length ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' }, c.warnings.map((w) => h('li', { 'data-code': w.code }, `⚠ ${w.message}`))) : null,
    c.thresholds?.length ? h('table', {}, h('thead', {}, h('tr', {}, ['Statute', 'Limit', 'Weight', 'Status'].map((t) => h('th', {}, t)))),
      h('tbody', {}, c.thresholds.map((t) => h('tr', {}, h('td', {}, t.statute), h('td', {}, `${t.limitG} g`), h('td', {}, `${t.weightG} ± ${t.uncertaintyG} g (${label(t.basis)})`),
        h('td', {}, h('strong', { class: t.status === 'EXCEEDS' ? 'overdue-text' : t.status === 'STRADDLES' ? 'atrisk-text' : '' }, t.status)))))) : null);
}

function testForm(sample, reload) {
  const technique = select(Object.entries(TECHNIQUES).map(([g, list]) => list.map((t) => ({ value: t, text: `${label(t)} (${g.slice(-1)})` }))).flat());
  const extra = h('div', { class: 'actions' });
  const hitsBody = h('tbody');
  const hitRow = () => h('tr', {}, h('td', {}, h('input', { type: 'text', 'aria-label': 'Library hit substance', list: 'substances' })), h('td', {}, h('input', { type: 'number', step: '0.01', min: '0', max: '1', 'aria-label': 'Match score 0–1' })));
  const form = h('form', { class: 'fields', novalidate: true },
    field('technique', 'Technique', technique),
    field('outcome', 'Outcome', select(['POSITIVE', 'NEGATIVE', 'INCONCLUSIVE'])),
    field('substance', 'Substance indicated', input({ type: 'text', list: 'substances' }), 'name, synonym or CAS'),
    field('samplingId', 'Sampling', input({ type: 'text', value: 'S1' })),
    field('instrument', 'Instrument', input({ type: 'text' })),
    field('dataRef', 'Data file / spectrum ref.', input({ type: 'text' })),
    extra,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Record test'), h('span', { class: 'error form', role: 'alert' })));
  const reagent = field('reagent', 'Reagent', input({ type: 'text', placeholder: 'Marquis' }));
  const colour = field('observedColor', 'Observed colour', input({ type: 'text' }));
  const hits = h('div', { class: 'hits', style: 'grid-column:1/-1' }, h('strong', {}, 'Library hits'), h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Substance'), h('th', {}, 'Score'))), hitsBody),
    h('button', { type: 'button', class: 'secondary', onclick: () => hitsBody.append(hitRow()) }, 'Add hit'));
  const adapt = () => {
    const t = technique.value;
    extra.replaceChildren(...(t === 'COLOR_TEST' ? [reagent, colour] : SPECTRA.includes(t) ? [hits] : []));
    if (SPECTRA.includes(t) && !hitsBody.children.length) hitsBody.append(hitRow());
    form.elements.namedItem('substance').closest('.field').hidden = t === 'FENTANYL_TEST_STRIP';
  };
  technique.addEventListener('change', adapt);
  adapt();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = values(form);
    const rows = [...hitsBody.querySelectorAll('tr')].map((tr) => tr.querySelectorAll('input')).filter(([s, sc]) => s.value && sc.value);
    if (SPECTRA.includes(body.technique) && rows.length) body.hits = rows.map(([s, sc]) => ({ substance: s.value.trim(), score: Number(sc.value) }));
    if (body.technique === 'FENTANYL_TEST_STRIP') delete body.substance;
    try {
      await api(`/samples/${sample.id}/tests`, { method: 'POST', body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      banner('Test recorded; classifying…');
      await reload();
    } catch (err) {
      showErrors(form, err);
    }
  });
  return form;
}

async function custodyCard(sample) {
  const [{ items }, people] = await Promise.all([api(`/samples/${sample.id}/custody`), state.me.role === 'INVESTIGATOR' ? { items: [] } : api('/users/directory')]);
  const name = new Map(people.items.map((p) => [p.id, p.name]));
  const who = (id) => (id ? name.get(id) ?? id.slice(0, 8) : '—');
  const table = h('table', {}, h('thead', {}, h('tr', {}, ['When', 'Action', 'From', 'To', 'Location', 'Seal', 'Note'].map((t) => h('th', {}, t)))),
    h('tbody', {}, items.map((e) => h('tr', {}, h('td', {}, fmtTime(e.at)), h('td', {}, label(e.action)), h('td', {}, who(e.fromUserId)), h('td', {}, who(e.toUserId)),
      h('td', {}, e.location ?? ''), h('td', {}, `${e.sealNumber ?? ''}${e.sealIntact === false ? ' (broken)' : ''}`), h('td', {}, e.note ?? '')))));
  if (state.me.role !== 'TECHNICIAN') return card(h('h2', {}, 'Chain of custody'), table);
  const form = h('form', { class: 'fields', novalidate: true },
    field('action', 'Action', select(CUSTODY)),
    field('toUserId', 'To', select([{ value: '', text: '—' }, ...people.items.map((p) => ({ value: p.id, text: `${p.name} (${label(p.role)})` }))])),
    field('location', 'Location', input({ type: 'text' })),
    field('sealNumber', 'Seal number', input({ type: 'text' })),
    field('sealIntact', 'Seal intact', input({ type: 'checkbox', checked: true })),
    field('witnessId', 'Witness', select([{ value: '', text: '—' }, ...people.items.map((p) => ({ value: p.id, text: p.name }))])),
    field('note', 'Note', input({ type: 'text' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Record custody event'), h('span', { class: 'error form', role: 'alert' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = values(form);
    if (body.action !== 'RECEIVED') delete body.sealIntact;
    try {
      await api(`/samples/${sample.id}/custody`, { method: 'POST', body });
      go(`#/sample/${sample.id}`);
    } catch (err) {
      showErrors(form, err);
    }
  });
  return card(h('h2', {}, 'Chain of custody'), table, h('h3', {}, 'Record an event'), form);
}

function reviewCard(sample, reload) {
  const form = h('form', { class: 'fields', novalidate: true },
    h('fieldset', { style: 'grid-column:1/-1;border:0;padding:0' }, h('legend', {}, 'Decision'),
      h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'APPROVE', checked: true }), ' Approve and release'), ' ',
      h('label', {}, h('input', { type: 'radio', name: 'decision', value: 'REJECT' }), ' Reject (back to analysis)')),
    field('comment', 'Comment (required to reject)', h('textarea', { rows: 2 })),
    field('password', 'Electronic signature: your password', input({ type: 'password', autocomplete: 'current-password', required: true }),
      'Signing records your name, the time and the meaning "technical review — approved/rejected" for this classification version.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign review'), h('span', { class: 'error form', role: 'alert' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = values(form);
    try {
      const r = await api(`/samples/${sample.id}/review`, { method: 'POST', body, signature: true });
      banner(`Review signed: sample ${r.status === 'RELEASED' ? 'released' : 'returned to analysis'}.`);
      await reload();
    } catch (err) {
      showErrors(form, err);
    }
  });
  return card(h('h2', {}, 'Technical review'), form);
}

async function samplePage(id) {
  const root = h('section');
  const reload = async () => {
    const s = await api(`/samples/${id}`);
    const tests = await api(`/samples/${id}/tests`);
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
      h('div', { class: 'grid' },
        card(h('h2', {}, 'Classification'), verdict(s.classification)),
        card(h('h2', {}, 'Tests'), h('table', {}, h('thead', {}, h('tr', {}, ['Technique', 'Outcome', 'Substance', 'Sampling', 'When'].map((t) => h('th', {}, t)))),
          h('tbody', {}, tests.items.map((t) => h('tr', {}, h('td', {}, label(t.technique)), h('td', {}, label(t.outcome)), h('td', {}, t.substance ?? (t.hits ? t.hits.map((x) => `${x.substance} ${x.score}`).join(', ') : '')),
            h('td', {}, t.samplingId), h('td', {}, fmtTime(t.performedAt))))))),
      ),
      isTech && ['QUEUED', 'IN_ANALYSIS', 'REGISTERED'].includes(s.status) ? card(h('h2', {}, 'Record a test'), testForm(s, reload)) : null,
      canReview ? reviewCard(s, reload) : null,
      await custodyCard(s),
      card(h('h2', {}, 'Timeline'), h('ol', {}, (s.timeline ?? []).map((t) => h('li', {}, `${fmtTime(t.at)} — ${label(t.status)}${t.note ? `: ${t.note}` : ''}`)))),
    ].filter(Boolean));
  };
  await reload();
  state.onLive.add(debounce((kind, x) => kind === 'sample' && x.id === id && reload(), 200));
  if (!$('#substances')) {
    const subs = await api('/substances').catch(() => []);
    document.body.append(h('datalist', { id: 'substances' }, subs.map((x) => h('option', { value: x.name }))));
  }
  return root;
}

async function review() {
  const { items } = await api('/samples?status=AWAITING_REVIEW&limit=500');
  return h('section', {}, h('h1', {}, 'Awaiting technical review'),
    h('p', { class: 'muted' }, 'You cannot review a sample on which you recorded a test.'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Priority', 'Due', 'Classification'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.length ? items.map((s) => h('tr', { class: slaClass(s) }, h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, s.priority), h('td', {}, dueText(s)),
        h('td', {}, s.classification ? `${label(s.classification.category)} (${label(s.classification.level)})` : '—'))) : h('tr', {}, h('td', { colspan: 4 }, 'Nothing to review.')))));
}

// ---------- investigator ----------
function notificationItem(n) {
  const li = h('li', { class: `${n.type}${n.readAt ? '' : ' unread'}`, 'data-type': n.type, 'data-id': n.id },
    h('div', {}, h('strong', {}, n.type === 'PRESUMPTIVE_ALERT' ? '⚠ ' : '', n.title)),
    n.body?.note ? h('div', {}, n.body.note) : null,
    n.body?.warnings?.length ? h('ul', { class: 'warnings' }, n.body.warnings.map((w) => h('li', {}, w.message))) : null,
    h('div', { class: 'muted' }, `${label(n.type)} · ${fmtTime(n.createdAt)} `,
      n.caseId && state.me.role !== 'TECHNICIAN' ? h('a', { href: `#/case/${n.caseId}` }, 'case') : null, ' ',
      n.sampleId && (state.me.role !== 'INVESTIGATOR' || n.caseId) ? h('a', { href: `#/sample/${n.sampleId}` }, 'sample') : null, ' ',
      n.readAt ? null : h('button', { type: 'button', class: 'secondary', onclick: async () => {
        await api(`/notifications/${n.id}/read`, { method: 'POST' });
        li.classList.remove('unread');
        li.querySelector('button')?.remove();
        setUnread(state.unread - 1);
      } }, 'Mark read')));
  return li;
}

async function inbox() {
  const { items } = await api('/notifications?limit=200');
  const list = h('ul', {}, items.map(notificationItem));
  state.onLive.add((kind, n) => kind === 'notification' && list.prepend(notificationItem(n)));
  return h('section', { class: 'inbox' }, h('h1', {}, 'Inbox'), h('p', { class: 'muted' }, 'New notifications arrive here as they happen. Presumptive alerts are not confirmed results.'), list);
}

async function cases() {
  const { items } = await api('/cases?limit=500');
  const investigators = state.me.role === 'MANAGER' ? (await api('/users?role=INVESTIGATOR')).items.filter((u) => !u.disabled) : [];
  return h('section', {}, h('h1', {}, 'Cases'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Case', 'Port', 'Opened', 'Status', 'Assignee'].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.length ? items.map((c) => h('tr', {}, h('td', {}, h('a', { href: `#/case/${c.id}`, class: 'mono' }, c.caseNumber)), h('td', {}, c.portCode), h('td', {}, fmtTime(c.openedAt)), h('td', {}, label(c.status)),
        h('td', {}, state.me.role === 'MANAGER' ? assignSelect(c, investigators) : c.assigneeId === state.me.id ? 'you' : c.assigneeId ?? 'unassigned'))) : h('tr', {}, h('td', { colspan: 5 }, 'No cases.')))));
}

function assignSelect(c, investigators) {
  const sel = select([{ value: '', text: 'unassigned' }, ...investigators.map((u) => ({ value: u.id, text: u.name }))], { 'aria-label': `Assignee of ${c.caseNumber}` });
  sel.value = c.assigneeId ?? '';
  sel.addEventListener('change', async () => {
    if (!sel.value) return;
    try {
      await api(`/cases/${c.id}/assign`, { method: 'POST', body: { investigatorId: sel.value } });
      banner(`${c.caseNumber} assigned.`);
    } catch (err) {
      banner(err.message);
    }
  });
  return sel;
}

async function casePage(id) {
  const c = await api(`/cases/${id}`);
  const link = h('form', { class: 'fields', novalidate: true }, field('seizureId', 'Seizure id', input({ type: 'text', required: true })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Link seizure'), h('span', { class: 'error form', role: 'alert' })));
  link.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api(`/cases/${id}/seizures`, { method: 'POST', body: values(link) });
      go(`#/case/${id}`);
    } catch (err) {
      showErrors(link, err);
    }
  });
  return h('section', {}, h('h1', {}, `Case ${c.caseNumber}`), h('p', { class: 'muted' }, `Port ${c.portCode} · opened ${fmtTime(c.openedAt)} · ${label(c.status)}`),
    card(h('h2', {}, 'Seizures'), h('ul', {}, c.seizures.map((z) => h('li', {}, `${z.seizureNumber} — seized ${fmtTime(z.seizedAt)}${z.subjectInCustody ? ' — subject in custody' : ''}`))), h('h3', {}, 'Link another seizure'), link),
    card(h('h2', {}, 'Samples'), c.samples.length ? c.samples.map((s) => h('div', {}, h('h3', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode), ` — ${label(s.status)}`), verdict(s.classification && { ...s.classification, testCount: '' }))) : h('p', {}, 'No samples yet.')),
    card(h('h2', {}, 'Timeline'), h('ol', {}, c.timeline.map((t) => h('li', {}, `${fmtTime(t.at)} — ${label(t.type)}`)))));
}

// ---------- manager ----------
const charts = [];
function chart(canvas, config) {
  const c = new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
  charts.push(c);
  canvas.chart = c;
  return c;
}
const COLORS = ['#0b4f8a', '#b35900', '#1b6e3a', '#a4141f', '#5b3b8c', '#4a5561'];

async function dashboard() {
  charts.splice(0).forEach((c) => c.destroy());
  const [byPort, byPriority, backlog, throughput, overdue, open] = await Promise.all([
    api('/reports/turnaround?groupBy=port'), api('/reports/turnaround?groupBy=priority'), api('/reports/backlog'), api('/reports/throughput'),
    api('/samples?overdue=true&limit=200'), api('/samples?open=true&limit=500'),
  ]);
  const atRisk = open.items.filter((s) => slaClass(s) === 'atrisk');
  const canvas = (name) => h('div', { class: 'chart' }, h('canvas', { 'aria-label': name, role: 'img', 'data-chart': name }));
  const tatPort = canvas('turnaround-by-port');
  const tatPriority = canvas('turnaround-by-priority');
  const stages = canvas('turnaround-by-stage');
  const ages = canvas('backlog-by-age');
  const flow = canvas('throughput');
  const bars = (r) => ({ labels: r.groups.map((g) => g.key), datasets: [{ label: 'p50 h', data: r.groups.map((g) => g.p50Hours), backgroundColor: COLORS[0] }, { label: 'p90 h', data: r.groups.map((g) => g.p90Hours), backgroundColor: COLORS[1] }] });
  const statuses = [...new Set(backlog.byStatus.map((b) => b.status))];
  const buckets = ['<1d', '1-7d', `7-${backlog.backlogDays}d`, `>${backlog.backlogDays}d`];
  const ops = await operationsCard();
  const page = h('section', {}, h('h1', {}, 'Lab dashboard'),
    h('p', { class: 'muted' }, `Turnaround: samples released in the last 30 days. Open ${backlog.open}, overdue ${backlog.overdue}, backlog (> ${backlog.backlogDays} days) ${backlog.backlog}.`),
    h('div', { class: 'grid' },
      card(h('h2', {}, 'Turnaround by port (hours)'), tatPort), card(h('h2', {}, 'Turnaround by priority (hours)'), tatPriority),
      card(h('h2', {}, 'Where the time goes (p50 / p90 hours per stage)'), stages), card(h('h2', {}, 'Open samples by age'), ages),
      card(h('h2', {}, 'Throughput per day'), flow)),
    card(h('h2', {}, `Overdue (${overdue.items.length}) and at risk (${atRisk.length})`), h('table', {}, h('thead', {}, h('tr', {}, ['Barcode', 'Port', 'Priority', 'Status', 'Due'].map((t) => h('th', {}, t)))),
      h('tbody', {}, [...overdue.items, ...atRisk].map((s) => h('tr', { class: slaClass(s) }, h('td', {}, h('a', { href: `#/sample/${s.id}`, class: 'mono' }, s.barcode)), h('td', {}, s.portCode), h('td', {}, s.priority), h('td', {}, label(s.status)), h('td', {}, dueText(s))))))),
    ops);
  requestAnimationFrame(() => {
    chart(tatPort.firstChild, { type: 'bar', data: bars(byPort) });
    chart(tatPriority.firstChild, { type: 'bar', data: bars(byPriority) });
    chart(stages.firstChild, { type: 'bar', data: { labels: byPort.stages.map((s) => s.label), datasets: [{ label: 'p50 h', data: byPort.stages.map((s) => s.p50Hours), backgroundColor: COLORS[0] }, { label: 'p90 h', data: byPort.stages.map((s) => s.p90Hours), backgroundColor: COLORS[1] }] } });
    chart(ages.firstChild, { type: 'bar', data: { labels: buckets, datasets: statuses.map((st, i) => ({ label: label(st), data: buckets.map((b) => backlog.byStatus.find((x) => x.status === st && x.bucket === b)?.count ?? 0), backgroundColor: COLORS[i % COLORS.length] })) }, options: { scales: { x: { stacked: true }, y: { stacked: true } } } });
    chart(flow.firstChild, { type: 'line', data: { labels: throughput.days.map((d) => d.day.slice(5)), datasets: [{ label: 'registered', data: throughput.days.map((d) => d.registered), borderColor: COLORS[0] }, { label: 'released', data: throughput.days.map((d) => d.released), borderColor: COLORS[2] }] } });
  });
  return page;
}

async function operationsCard() {
  const ports = await api('/ports');
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
  const result = h('div');
  const form = h('form', { class: 'fields', novalidate: true },
    field('from', 'From', input({ type: 'date', value: monthAgo })), field('to', 'To (inclusive)', input({ type: 'date', value: today })),
    field('portCode', 'Port', select([{ value: '', text: 'all ports' }, ...ports.map((p) => ({ value: p.code, text: `${p.code} ${p.name}` }))])),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Summarise'), h('a', { class: 'button secondary', id: 'ops-csv', href: '#', download: true }, 'Download CSV'), h('span', { class: 'error form', role: 'alert' })));
  // The API's period is [from, to): a day picked as "to" is included by asking up to the next midnight.
  const query = () => {
    const v = values(form);
    if (v.to) v.to = new Date(Date.parse(`${v.to}T00:00:00Z`) + 86400000).toISOString();
    if (v.from) v.from = `${v.from}T00:00:00Z`;
    return new URLSearchParams(Object.entries(v).filter(([, x]) => x)).toString();
  };
  const run = async () => {
    try {
      const r = await api(`/reports/operations?${query()}`);
      form.querySelector('#ops-csv').href = `/api/v1/reports/operations?${query()}&format=csv`;
      result.replaceChildren(h('p', {}, h('strong', {}, `${r.seizures} seizures, ${r.samples} samples`), ` (${r.from.slice(0, 10)} to ${new Date(Date.parse(r.to) - 1).toISOString().slice(0, 10)} UTC${r.portCode ? `, port ${r.portCode}` : ''})`),
        h('table', {}, h('thead', {}, h('tr', {}, ['Category', 'Samples', 'Net kg'].map((t) => h('th', {}, t)))), h('tbody', {}, r.byCategory.map((c) => h('tr', {}, h('td', {}, label(c.category)), h('td', {}, c.samples), h('td', {}, c.netWeightKg))))));
    } catch (err) {
      showErrors(form, err);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  await run();
  return card(h('h2', {}, 'Operation summary'), form, result);
}

async function roster() {
  const [ports, investigators] = await Promise.all([api('/ports'), api('/users?role=INVESTIGATOR')]);
  const active = investigators.items.filter((u) => !u.disabled);
  return h('section', {}, h('h1', {}, 'Duty roster'), h('p', { class: 'muted' }, 'The on-duty investigator of a port gets its presumptive alerts and its new cases. Nobody on duty: the managers get them.'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Port'), h('th', {}, 'On duty'))),
      h('tbody', {}, ports.map((p) => {
        const sel = select([{ value: '', text: 'nobody' }, ...active.map((u) => ({ value: u.id, text: u.name }))], { 'aria-label': `On duty at ${p.code} ${p.name}` });
        sel.value = p.dutyInvestigatorId ?? '';
        sel.addEventListener('change', async () => {
          try {
            await api(`/ports/${p.code}/duty`, { method: 'PUT', body: { investigatorId: sel.value || null } });
            banner(`Duty at ${p.code} updated.`);
          } catch (err) {
            banner(err.message);
          }
        });
        return h('tr', {}, h('td', {}, `${p.code} ${p.name}, ${p.state}`), h('td', {}, sel));
      }))));
}

// ---------- admin ----------
async function adminUsers() {
  const { items } = await api('/users');
  const form = h('form', { class: 'fields', novalidate: true },
    field('name', 'Name', input({ type: 'text', required: true })), field('email', 'Email', input({ type: 'email', required: true })),
    field('role', 'Role', select(['TECHNICIAN', 'INVESTIGATOR', 'MANAGER', 'ADMIN'])), field('password', 'Initial password (12+ characters)', input({ type: 'password', autocomplete: 'new-password' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create user'), h('span', { class: 'error form', role: 'alert' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api('/users', { method: 'POST', body: values(form) });
      go('#/admin/users');
    } catch (err) {
      showErrors(form, err);
    }
  });
  const toggle = (u) => h('button', { type: 'button', class: u.disabled ? 'secondary' : 'danger', onclick: async () => {
    try {
      await api(`/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`, { method: 'POST' });
      route();
    } catch (err) {
      banner(err.message);
    }
  } }, u.disabled ? 'Enable' : 'Disable');
  const route = () => go('#/admin/users');
  return h('section', {}, h('h1', {}, 'Users'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Email', 'Role', 'State', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((u) => h('tr', {}, h('td', {}, u.name), h('td', {}, u.email), h('td', {}, label(u.role)), h('td', {}, u.disabled ? 'disabled' : 'active'), h('td', {}, u.id === state.me.id ? '' : toggle(u)))))),
    card(h('h2', {}, 'New user'), form));
}

async function adminWebhooks(id) {
  if (id) {
    const { items } = await api(`/webhooks/${id}/deliveries?limit=100`);
    return h('section', {}, h('h1', {}, 'Webhook deliveries'), h('p', {}, h('a', { href: '#/admin/webhooks' }, '← all webhooks')),
      h('table', {}, h('thead', {}, h('tr', {}, ['Created', 'Event', 'Status', 'Attempts (status, time)'].map((t) => h('th', {}, t)))),
        h('tbody', {}, items.map((d) => h('tr', {}, h('td', {}, fmtTime(d.createdAt)), h('td', {}, label(d.event)), h('td', {}, d.status),
          h('td', {}, d.attemptLog.map((a) => `${a.statusCode ?? a.error} (${a.durationMs} ms)`).join(' → ')))))));
  }
  const { items } = await api('/webhooks');
  const form = h('form', { class: 'fields', novalidate: true },
    field('url', 'URL', input({ type: 'url', required: true })), field('secret', 'Shared secret (16+ characters)', input({ type: 'password', autocomplete: 'off' })),
    field('description', 'Description', input({ type: 'text' })),
    h('fieldset', { style: 'grid-column:1/-1' }, h('legend', {}, 'Events'), ['PRESUMPTIVE_ALERT', 'RESULT_RELEASED', 'CASE_ASSIGNED', 'THRESHOLD_EXCEEDED', 'SLA_AT_RISK', 'SLA_BREACHED']
      .map((ev) => h('label', { style: 'margin-right:14px' }, h('input', { type: 'checkbox', value: ev, 'data-event': true }), ` ${label(ev)}`))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Register webhook'), h('span', { class: 'error form', role: 'alert' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const events = [...form.querySelectorAll('[data-event]:checked')].map((c) => c.value);
    const body = values(form);
    for (const k of Object.keys(body)) if (!['url', 'secret', 'description'].includes(k)) delete body[k];
    try {
      await api('/webhooks', { method: 'POST', body: { ...body, events } });
      go('#/admin/webhooks');
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h('section', {}, h('h1', {}, 'Webhooks'),
    h('table', {}, h('thead', {}, h('tr', {}, ['URL', 'Events', 'State', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, items.map((w) => h('tr', {}, h('td', { class: 'mono' }, w.url), h('td', {}, w.events.map(label).join(', ')), h('td', {}, w.active ? 'active' : 'disabled'), h('td', {}, h('a', { href: `#/admin/webhooks/${w.id}` }, 'Delivery log')))))),
    card(h('h2', {}, 'New webhook'), form), h('p', {}, h('a', { href: '/admin/queues' }, 'Queue dashboard (Bull Board)')));
}

export const views = {
  signin,
  worklist,
  intake,
  sample: samplePage,
  review,
  inbox,
  cases,
  case: casePage,
  dashboard,
  roster,
  admin: (page, id) => (page === 'users' ? adminUsers() : page === 'webhooks' ? adminWebhooks(id) : notFound()),
  notFound,
};

function notFound() {
  return h('div', { class: 'notice bad' }, 'No such page. ', h('a', { href: home() }, 'Go to your start page'));
}
