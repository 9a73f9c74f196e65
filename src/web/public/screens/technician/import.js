// Manifest import: check a port system's export (CSV or XLSX, one row per exhibit), see every bad
// cell by row and column, import it, follow a large one to the end, print all its labels at once.
import { api } from '../../core/api.js';
import { card, fmtTime, h } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { field, FormError, input, onSubmit } from '../../widgets/form.js';

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const labelsLink = (imp) => (imp.samples ? h('a', { class: 'button', href: `/api/v1/imports/${imp.id}/labels`, target: '_blank', rel: 'noopener' }, `Print ${plural(imp.samples, 'label')} (PDF)`) : null);

/** Every bad cell, as the API lists it (row 1 is the header). */
const errorTable = (errors) => h('table', { class: 'import-errors' }, h('caption', {}, `${plural(errors.length, 'bad cell')} — correct them in the file and send it again`),
  h('thead', {}, h('tr', {}, ['Row', 'Column', 'What is wrong'].map((t) => h('th', { scope: 'col' }, t)))),
  h('tbody', {}, errors.map((e) => h('tr', {}, h('td', {}, e.row), h('td', { class: 'mono' }, e.column), h('td', {}, e.message)))));

const created = (imp) => `${plural(imp.seizures, 'seizure')}, ${plural(imp.created, 'exhibit')} and ${plural(imp.samples, 'sample')}`;

function done(result, imp, heading) {
  result.replaceChildren(h('div', { class: 'notice', role: 'status' }, h('strong', {}, heading), ` ${imp.filename}: ${created(imp)} registered from ${plural(imp.rows, 'row')}.`),
    h('p', {}, labelsLink(imp)));
}

/** A file too large for the synchronous path is written by a job: follow it on the live stream, and by asking. */
function follow(result, queued) {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Import progress' });
  const status = h('span', {}, `Queued: ${plural(queued.rows, 'row')} checked and waiting to be written.`);
  result.replaceChildren(h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' }, status, ' ', bar));
  let finished = false;
  const finish = async () => {
    if (finished) return;
    const imp = await api(`/imports/${queued.id}`);
    if (imp.status === 'COMPLETED') done(result, imp, 'Imported.');
    else if (imp.status === 'FAILED') result.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, h('strong', {}, 'The import failed; nothing was registered. '), imp.error ?? ''));
    else return;
    finished = true;
  };
  state.onLive.add((kind, p) => {
    if (kind !== 'import' || p.importId !== queued.id) return;
    bar.max = p.total;
    bar.value = p.done;
    status.textContent = p.status === 'RUNNING' ? `Writing: ${p.done} of ${plural(p.total, 'seizure')}.` : '';
    if (p.status !== 'RUNNING') finish();
  });
  // The stream may have been down for a moment: ask as well, until the import ends or the page is left.
  const hash = location.hash;
  const timer = setInterval(() => (location.hash !== hash || finished ? clearInterval(timer) : finish().catch(() => {})), 2000);
}

export function importPage() {
  const result = h('div');
  const file = input({ type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', required: true });
  const form = h('form', { class: 'fields', novalidate: true },
    field('file', 'Manifest file (CSV or XLSX)', file, 'One row per exhibit, with its seizure, observables and sample. Nothing is registered while any cell is wrong.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary', value: 'check' }, 'Check only'), h('button', { type: 'submit', value: 'import' }, 'Import'), h('span', { class: 'error form', role: 'alert' })));
  onSubmit(form, async (submitter) => {
    const chosen = file.files[0];
    if (!chosen) throw new FormError([{ path: 'file', message: 'choose the manifest file first' }]);
    const dryRun = submitter?.value === 'check';
    const body = new FormData();
    body.append('file', chosen);
    result.replaceChildren(h('p', { class: 'muted' }, dryRun ? 'Checking…' : 'Importing…'));
    let r;
    try {
      r = await api(`/imports${dryRun ? '?dryRun=true' : ''}`, { method: 'POST', body });
    } catch (err) {
      result.replaceChildren();
      if (err.status === 400 && err.details?.[0]?.row !== undefined) {
        result.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, h('strong', {}, 'Nothing was imported. '), `${chosen.name} has ${plural(err.details.length, 'bad cell')}.`), errorTable(err.details));
        return;
      }
      // Too large (413) or not a CSV or XLSX file (415): said next to the file field.
      if (err.status === 413 || err.status === 415) throw Object.assign(err, { details: [{ path: 'file', message: err.message }], message: 'Nothing was imported.' });
      throw err;
    }
    if (r.duplicateOf) {
      result.replaceChildren(h('div', { class: 'notice', role: 'status' }, h('strong', {}, 'Already imported. '), `This file was imported on ${fmtTime(r.createdAt)}; nothing new was registered.`), h('p', {}, labelsLink(r)));
    } else if (r.dryRun) {
      const w = r.wouldCreate;
      result.replaceChildren(r.errors.length
        ? h('div', {}, h('div', { class: 'notice bad', role: 'alert' }, h('strong', {}, 'Checked: not importable. '), `${plural(r.rows, 'row')} read; nothing would be registered.`), errorTable(r.errors))
        : h('div', { class: 'notice', role: 'status' }, h('strong', {}, 'Checked: no errors. '), `${plural(r.rows, 'row')} read. Importing would register ${plural(w.seizures, 'new seizure')}, ${plural(w.exhibits, 'exhibit')} and ${plural(w.samples, 'sample')}`,
          r.skipped ? `; ${plural(r.skipped, 'row')} already registered would be skipped.` : '.', ' Nothing has been registered yet.'));
    } else if (r.status === 'QUEUED') follow(result, r);
    else done(result, r, 'Imported.');
  });
  return h('section', {}, h('h1', {}, 'Import a manifest'),
    card(form, h('p', { class: 'muted' }, 'Required columns: seizureNumber, portCode, seizedAt, exhibitNumber, exhibitDescription; for the exhibit\'s sample also sampleForm, sampleDescription, sampleGrossWeightG and sealNumber. ',
      h('a', { href: '/manifest-example.csv', download: true }, 'Example file (CSV)'), ' · all columns in the README, "Manifest intake".')), result);
}
