import express, { type Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';

const PUBLIC = path.resolve(import.meta.dirname, 'public');
const MANIFEST_EXAMPLE = path.resolve(import.meta.dirname, '../../docs/imports/manifest-example.csv');
// The package exports no browser-build subpath: locate it next to its package.json.
const resolve = createRequire(import.meta.url).resolve;
const CHART_JS = path.join(path.dirname(resolve('chart.js')), 'chart.umd.min.js');
const CYTOSCAPE = path.join(path.dirname(resolve('cytoscape')), 'cytoscape.min.js');

/** The web UI: static files served by the app itself (no CDN, works on a disconnected network). */
export function webRouter(): Router {
  const r = express.Router();
  r.get('/docs', (_req, res) => res.sendFile(path.join(PUBLIC, 'docs.html')));
  // Chart.js ships a ready browser build: served from the installed package, no CDN, no build step.
  r.get('/vendor/chart.umd.min.js', (_req, res) => res.sendFile(CHART_JS, { maxAge: '1d' }));
  // Cytoscape.js (MIT) draws the case network; its browser build, loaded by the case page only.
  r.get('/vendor/cytoscape.min.js', (_req, res) => res.sendFile(CYTOSCAPE, { maxAge: '1d' }));
  // The manifest columns by example, linked from the Import page.
  r.get('/manifest-example.csv', (_req, res) => res.type('text/csv').sendFile(MANIFEST_EXAMPLE));
  r.use(express.static(PUBLIC, { index: 'index.html', maxAge: '1h' }));
  return r;
}
