// Chart.js (served from the installed package as window.Chart): one way to draw, one palette, and the
// instance kept on its canvas (`canvas.chart`) so a page can redraw and a test can read what was drawn.
import { h } from '../core/dom.js';

export const COLORS = ['#0b4f8a', '#b35900', '#1b6e3a', '#a4141f', '#5b3b8c', '#4a5561'];

const drawn = new Set();
export function chart(canvas, config) {
  canvas.chart?.destroy();
  const c = new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
  drawn.add(c);
  canvas.chart = c;
  return c;
}

/** Anything else drawn that must be destroyed when the page is left (a Cytoscape graph). */
export const forgetOnLeave = (drawing) => drawn.add(drawing);

/** Forgets the charts of the page being left (Chart.js keeps listeners on the window). */
export function destroyCharts() {
  for (const c of drawn) c.destroy();
  drawn.clear();
}

/** A canvas in a sized box; `name` is its accessible name and its `data-chart`. */
export const chartBox = (name, cls = 'chart') => h('div', { class: cls }, h('canvas', { 'aria-label': name, role: 'img', 'data-chart': name }));
