// DOM helpers: build elements, format times and codes for people.

/** Builds an element: `on*` attributes become listeners, `true` a bare attribute, nullish/false nothing. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
export const $ = (sel, root = document) => root.querySelector(sel);
export const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '—');
export const label = (s) => (s ? String(s).replaceAll('_', ' ').toLowerCase() : '—');
export const card = (...children) => h('div', { class: 'card' }, ...children);

export const debounce = (fn, ms) => {
  let t;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
};

/** Bytes as people read them, in the binary units the size limit is set in (FILE_MAX_MB is MiB). */
export const fmtBytes = (n) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);
/** The first 12 hex digits of a SHA-256: enough to tell files apart on screen (the full hash is in its title). */
export const shortHash = (sha) => h('span', { class: 'mono', title: `SHA-256 ${sha}` }, `${sha.slice(0, 12)}…`);
