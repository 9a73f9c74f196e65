// Reference mass-spectral libraries: each import a new immutable version, identified by its SHA-256.
import { api } from '../../core/api.js';
import { card, fmtTime, h, shortHash } from '../../core/dom.js';
import { field, FormError, input, onSubmit, showSaved, values } from '../../widgets/form.js';

const versions = (items) => h('table', {}, h('thead', {}, h('tr', {}, ['Library', 'Version', 'Records', 'Linked to the catalogue', 'SHA-256', 'Imported'].map((t) => h('th', {}, t)))),
  h('tbody', {}, items.length ? items.map((l) => h('tr', { 'data-library': l.id }, h('td', {}, l.name), h('td', {}, l.version), h('td', {}, l.recordCount.toLocaleString('en-US')),
    h('td', {}, l.linkedCount.toLocaleString('en-US')), h('td', {}, shortHash(l.sha256)), h('td', {}, fmtTime(l.importedAt))))
    : h('tr', {}, h('td', { colspan: 6 }, 'No library imported yet: spectra cannot be searched until one is.'))));

export async function adminLibraries() {
  const list = h('div', {}, versions((await api('/spectral-libraries')).items));
  const file = input({ type: 'file', accept: '.msp,.txt,text/plain', required: true });
  const form = h('form', { class: 'fields', novalidate: true },
    field('name', 'Library name', input({ type: 'text', required: true, placeholder: 'SWGDRUG' }), 'The same name again makes the next version.'),
    field('file', 'Library file (NIST text, MSP)', file),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Import library'), h('span', { class: 'error form', role: 'alert' })),
    h('div', { class: 'confirm', role: 'status', 'aria-live': 'polite' }));
  onSubmit(form, async () => {
    const { name } = values(form);
    const bad = [...(name ? [] : [{ path: 'name', message: 'name the library (e.g. SWGDRUG)' }]), ...(file.files[0] ? [] : [{ path: 'file', message: 'choose the MSP file' }])];
    if (bad.length) throw new FormError(bad);
    const body = new FormData();
    body.append('name', name);
    body.append('file', file.files[0]);
    const before = (await api('/spectral-libraries')).items;
    let l;
    try {
      l = await api('/spectral-libraries', { method: 'POST', body });
    } catch (err) {
      if (err.status === 413 || err.status === 415) throw Object.assign(err, { details: [{ path: 'file', message: err.message }], message: 'Nothing was imported.' });
      throw err;
    }
    list.replaceChildren(versions((await api('/spectral-libraries')).items));
    showSaved(form, before.some((x) => x.id === l.id)
      ? `This file is already ${l.name} version ${l.version} (same SHA-256): nothing new was imported.`
      : `Imported ${l.name} version ${l.version}: ${l.recordCount.toLocaleString('en-US')} spectra, ${l.linkedCount.toLocaleString('en-US')} linked to the substance catalogue. Searches now use it.`);
  });
  return h('section', {}, h('h1', {}, 'Spectral libraries'),
    h('p', { class: 'muted' }, 'Searches use the newest import. Versions are never changed or deleted; a test records the version it was searched against.'),
    list, card(h('h2', {}, 'Import a library version'), form));
}
