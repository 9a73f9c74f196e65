// What the library search will find in an attached spectrum, shown before the test is recorded so
// the outcome is chosen knowing the hits. The file's own bytes are searched, exactly as recording does.
import { api } from '../../core/api.js';
import { h } from '../../core/dom.js';

const SHOWN = 5;

const table = (r) => h('table', { class: 'hits-preview-table' }, h('caption', {}, `Best ${Math.min(SHOWN, r.hits.length)} in ${r.library.name} version ${r.library.version} (not recorded yet)`),
  h('thead', {}, h('tr', {}, ['Rank', 'Library record', 'Catalogue substance', 'Match factor', 'Reverse MF', 'Entropy similarity'].map((t) => h('th', { scope: 'col' }, t)))),
  h('tbody', {}, r.hits.slice(0, SHOWN).map((x) => h('tr', {}, h('td', {}, x.rank), h('td', {}, x.name),
    h('td', {}, x.substance ? x.substance.name : h('span', { class: 'muted' }, 'not in the catalogue')),
    h('td', {}, x.matchFactor), h('td', {}, x.reverseMatchFactor), h('td', {}, x.entropySimilarity.toFixed(3))))));

/** `{ el, show(file) }`: `show` searches `file` ({id, filename}) and replaces what is shown; a later call wins. */
export function hitsPreview() {
  const el = h('div', { class: 'hits-preview', role: 'status', 'aria-live': 'polite' });
  let latest = 0;
  const show = async (file) => {
    const mine = ++latest;
    if (!file) return el.replaceChildren();
    el.replaceChildren(h('p', { class: 'muted' }, `Searching ${file.filename}…`));
    try {
      const bytes = await fetch(`/api/v1/files/${file.id}`, { credentials: 'same-origin' }).then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))));
      const body = new FormData();
      body.append('file', bytes, file.filename);
      const r = await api('/spectra/search', { method: 'POST', body });
      if (mine !== latest) return;
      el.replaceChildren(table(r), r.isomerAmbiguous
        ? h('p', { class: 'notice warn', 'data-isomers': true }, `Positional isomers tie: ${r.isomerCandidates.join(', ')}. The search cannot tell them apart.`)
        : null);
    } catch (err) {
      if (mine === latest) el.replaceChildren(h('p', { class: 'error' }, `The spectrum could not be searched: ${err.message}`));
    }
  };
  return { el, show };
}
