// What people call the codes of the API (GET /meta): techniques as the bench says them ("GC-MS",
// "fentanyl test strip"), statuses, categories, levels and warning codes. Loaded once per page;
// until then (or signed out) a code falls back to its words ("IN_ANALYSIS" → "in analysis").
import { api } from '../core/api.js';
import { label } from '../core/dom.js';

let meta = null;
let loading = null;
const maps = { technique: new Map(), techniqueFull: new Map(), category: new Map(), warning: new Map() };

/** Loads the names (cached); resolves to the /meta answer, or null when it cannot be read. */
export function loadNames() {
  if (meta) return Promise.resolve(meta);
  loading ??= api('/meta').then((m) => {
    meta = m;
    for (const t of m.techniques) {
      maps.technique.set(t.code, t.short ?? t.name);
      maps.techniqueFull.set(t.code, t.name);
      maps.category.set(t.code, t.category);
    }
    for (const w of m.warningCodes ?? []) maps.warning.set(w.code, w.name);
    return m;
  }).catch(() => {
    loading = null;
    return null;
  });
  return loading;
}

export const techniqueName = (code) => maps.technique.get(code) ?? label(code);
/** "GC-MS — Gas chromatography–mass spectrometry (SWGDRUG A)". */
export const techniqueTitle = (code) => `${techniqueName(code)} — ${maps.techniqueFull.get(code) ?? label(code)}${maps.category.get(code) ? ` (SWGDRUG ${maps.category.get(code)})` : ''}`;
export const techniqueCategory = (code) => maps.category.get(code) ?? null;
export const statusName = (code) => meta?.statusNames?.[code] ?? label(code);
export const categoryName = (code) => meta?.categoryNames?.[code] ?? label(code);
export const levelName = (code) => meta?.levelNames?.[code] ?? label(code);
export const warningName = (code) => maps.warning.get(code) ?? label(code);
/** The techniques in SWGDRUG order, for menus: [{ code, short, name, category }]. */
export const techniques = () => meta?.techniques ?? [];
export const statuses = () => meta?.statuses ?? [];
