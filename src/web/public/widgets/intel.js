// What a seizure carries, read-only: its exhibits, its observables (as entered → normalised) and the
// operations it is tagged to.
import { h } from '../core/dom.js';
import { kindText } from './kinds.js';

export const exhibitText = (e) => `${e.exhibitNumber}: ${e.description}${e.unitCount ? `, ${e.unitCount} units` : ''}${e.netWeightKg != null ? `, ${e.netWeightKg} kg` : ''}${e.packaging ? `, ${e.packaging}` : ''}`;
export const observableText = (o) => `${kindText(o.kind)}: ${o.raw}${o.normalized !== o.raw ? ` → ${o.normalized}` : ''}${o.valid === false ? ' (check digit does not match)' : ''}`;

/** `intel`: GET /seizures/:id/observables ({exhibits, observables, operations}). */
export function intelList(intel) {
  const { exhibits = [], observables = [], operations = [] } = intel;
  return h('dl', { class: 'intel' },
    h('dt', {}, 'Exhibits'), h('dd', {}, exhibits.length ? h('ul', {}, exhibits.map((e) => h('li', { 'data-exhibit': e.id }, exhibitText(e)))) : 'none recorded'),
    h('dt', {}, 'Observables'), h('dd', {}, observables.length ? h('ul', {}, observables.map((o) => h('li', { 'data-observable': o.kind }, observableText(o)))) : 'none recorded'),
    operations.length ? [h('dt', {}, 'Operations'), h('dd', {}, operations.map((o) => o.name).join(', '))] : null);
}
