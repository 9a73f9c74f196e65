import express, { type Router } from 'express';
import path from 'node:path';

const PUBLIC = path.resolve(import.meta.dirname, 'public');

/** The web UI: static files served by the app itself (no CDN, works on a disconnected network). */
export function webRouter(): Router {
  const r = express.Router();
  r.get('/docs', (_req, res) => res.sendFile(path.join(PUBLIC, 'docs.html')));
  r.use(express.static(PUBLIC, { index: 'index.html', maxAge: '1h' }));
  return r;
}
