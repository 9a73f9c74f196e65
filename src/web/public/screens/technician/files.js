// The files attached to a sample as evidence: photos as thumbnails, everything else to download, each
// with its kind, size and SHA-256; technicians attach more until the result is released.
import { api } from '../../core/api.js';
import { card, fmtBytes, fmtTime, h, label, shortHash } from '../../core/dom.js';
import { state } from '../../core/state.js';
import { field, FormError, input, onSubmit, select, showSaved, values } from '../../widgets/form.js';

const KINDS = [
  { value: 'SPECTRUM', text: 'Spectrum (MSP, JCAMP-DX or two-column CSV)' },
  { value: 'PHOTO', text: 'Photo' },
  { value: 'INSTRUMENT_REPORT', text: 'Instrument report (PDF, text or image)' },
  { value: 'OTHER', text: 'Other' },
];
const href = (f) => `/api/v1/files/${f.id}`;

const attached = (f) => `${f.uploadedByName ?? 'unknown user'}, ${fmtTime(f.uploadedAt)}`;

const photo = (f) => h('figure', { class: 'thumb', 'data-file': f.id },
  h('a', { href: href(f), target: '_blank', rel: 'noopener' }, h('img', { src: href(f), alt: `Photo ${f.filename}`, loading: 'lazy' })),
  h('figcaption', {}, f.filename, h('br'), `${fmtBytes(f.size)} · `, shortHash(f.sha256), h('br'), attached(f)));

const fileTable = (files) => h('table', {}, h('thead', {}, h('tr', {}, ['File', 'Kind', 'Size', 'SHA-256', 'Attached by, when'].map((t) => h('th', {}, t)))),
  h('tbody', {}, files.map((f) => h('tr', { 'data-file': f.id },
    h('td', {}, h('a', { href: href(f), download: f.filename }, f.filename)), h('td', {}, label(f.kind)), h('td', {}, fmtBytes(f.size)),
    h('td', {}, shortHash(f.sha256)), h('td', {}, attached(f))))));

/** `files`: GET /samples/:id/files; `reload(notes)` rebuilds the sample page with a confirmation. */
export function filesCard(sample, files, reload, note) {
  const photos = files.filter((f) => f.kind === 'PHOTO');
  const others = files.filter((f) => f.kind !== 'PHOTO');
  const content = [
    photos.length ? h('div', { class: 'thumbs' }, photos.map(photo)) : null,
    others.length ? fileTable(others) : null,
    files.length ? null : h('p', { class: 'muted' }, 'No files attached.'),
  ];
  if (state.me.role !== 'TECHNICIAN' || ['RELEASED', 'ROUTED'].includes(sample.status)) return card(h('h2', {}, 'Files'), content);
  const chosen = input({ type: 'file', required: true });
  const form = h('form', { class: 'fields', novalidate: true },
    field('kind', 'Kind of file', select(KINDS)),
    field('file', 'File', chosen, 'Kept as evidence, never changed; at most the configured size (25 MiB unless set otherwise).'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Attach file'), h('span', { class: 'error form', role: 'alert' })),
    h('div', { class: 'confirm', role: 'status', 'aria-live': 'polite' }));
  onSubmit(form, async () => {
    const { kind } = values(form);
    if (!chosen.files[0]) throw new FormError([{ path: 'file', message: 'choose the file to attach' }]);
    const body = new FormData();
    body.append('kind', kind);
    body.append('file', chosen.files[0]);
    let f;
    try {
      f = await api(`/samples/${sample.id}/files`, { method: 'POST', body });
    } catch (err) {
      // Too large (413) or not what its kind promises (415): said next to the file, in the API's words.
      if (err.status === 413 || err.status === 415) throw Object.assign(err, { details: [{ path: 'file', message: err.message }], message: 'Nothing was attached.' });
      throw err;
    }
    const again = files.some((x) => x.id === f.id);
    await reload({ files: again
      ? `Already attached as ${f.filename} (same content, SHA-256 ${f.sha256.slice(0, 12)}…): nothing new was stored.`
      : `Attached ${f.filename} as ${label(f.kind)}: ${fmtBytes(f.size)}, SHA-256 ${f.sha256.slice(0, 12)}…` });
  });
  if (note) showSaved(form, note);
  return card(h('h2', {}, 'Files'), content, h('h3', {}, 'Attach a file'), form);
}
