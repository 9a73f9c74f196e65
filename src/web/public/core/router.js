// Hash routes (#/name/arg…) to screens. The screens are handed in by the entry module, so no screen
// module is imported here and screens may import `go` without a cycle.
import { $, h } from './dom.js';
import { home, markCurrent } from './chrome.js';
import { state } from './state.js';

let views = {};
/** Registers the screens: `{ name: (...args) => Node | Promise<Node> }`, with `notFound` as the fallback. */
export function setViews(v) {
  views = v;
}

export function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

export function notFound() {
  return h('div', { class: 'notice bad' }, 'No such page. ', h('a', { href: home() }, 'Go to your start page'));
}

export async function route() {
  const hash = location.hash || '#/';
  const view = $('#view');
  state.onLive.clear();
  if (!state.me && hash !== '#/signin') return go('#/signin');
  if (state.me && (hash === '#/' || hash === '#/signin')) return go(home());
  markCurrent(hash);
  const [, name, ...args] = hash.split('/');
  const render = views[name] ?? views.notFound ?? notFound;
  try {
    view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    const content = await render(...args.map(decodeURIComponent));
    if (location.hash === hash || (!location.hash && hash === '#/')) view.replaceChildren(content);
  } catch (err) {
    // An error never leaves a blank screen.
    if (err.status === 401) return;
    view.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, h('strong', {}, err.status === 404 ? 'Not found. ' : 'Something went wrong. '), err.message ?? String(err)), h('p', {}, h('a', { href: home() }, 'Back')));
  }
  view.focus({ preventScroll: true });
}
