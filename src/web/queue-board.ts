import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response, Router } from 'express';
import { appendAudit } from '../audit/audit.ts';
import { authenticate } from '../http/authenticate.ts';
import type { AppDeps } from '../entry/deps.ts';
import { errorBody } from '../http/errors.ts';
import { QUEUE_NAMES } from '../queue/catalog.ts';

export const BOARD_PATH = '/admin/queues';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bull Board (the maintained BullMQ dashboard) for administrators only: the web session is checked
 * on every request, and anyone else gets a 404, as for a page that does not exist.
 *
 * Read-only unless QUEUE_BOARD_WRITE: pausing, emptying, cleaning, retrying or obliterating a queue
 * changes what happens to evidence records' processing, so it is refused here (403) before the board
 * sees it, and the board hides its buttons. When changes are allowed, each one is first written to
 * the audit trail (who, when, method and path); if that write fails, the change is not made.
 */
export function queueBoard(deps: AppDeps): { path: string; guard: (req: Request, res: Response, next: NextFunction) => void; router: Router } {
  const writable = deps.config.QUEUE_BOARD_WRITE;
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: QUEUE_NAMES.map((q) => new BullMQAdapter(deps.queues.queue(q) as never, { readOnlyMode: !writable })), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'fol-triage queues' } } });
  adapter.setViewsPath(offlineViews());
  const guard = (req: Request, res: Response, next: NextFunction) => {
    authenticate(req, deps).then(
      async ({ user }) => {
        if (user.role !== 'ADMIN') return void res.status(404).json(errorBody('NOT_FOUND', 'Not found'));
        if (READS.has(req.method)) return next();
        if (!writable) return void res.status(403).json(errorBody('FORBIDDEN', 'The queue board is read-only (QUEUE_BOARD_WRITE=1 allows changes)'));
        const now = deps.clock.now();
        const queue = /^\/api\/queues\/([^/]+)/.exec(req.path)?.[1];
        await deps.db.$transaction((tx) => appendAudit(tx, {
          actor: { id: user.id, role: user.role }, action: 'queue.board-change', entityType: 'Queue',
          entityId: queue && queue !== 'pause' && queue !== 'resume' ? queue : 'all', after: { method: req.method, path: req.path },
        }, now));
        (req.log ?? deps.log).info({ userId: user.id, method: req.method, path: req.path }, 'queue board change');
        next();
      },
      () => res.status(404).json(errorBody('NOT_FOUND', 'Not found')),
    ).catch(next);
  };
  return { path: BOARD_PATH, guard, router: adapter.getRouter() as Router };
}

/**
 * The board's page asks Google Fonts for its typeface; a lab network has no internet, so the browser
 * would log a failed request on every visit. The installed package's own page is used without that
 * one link (the board falls back to system fonts); it is derived at start-up, so an upgrade carries over.
 */
function offlineViews(): string {
  const pkg = createRequire(import.meta.url).resolve('@bull-board/ui/package.json');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  const page = readFileSync(path.join(path.dirname(pkg), 'dist', 'index.ejs'), 'utf8').replace(/^\s*<link [^>]*fonts\.googleapis\.com[^>]*>\n?/m, '');
  // One copy per installed version, shared by the processes on this machine; replaced whole (rename), never half written.
  const dir = path.join(os.tmpdir(), `fol-triage-board-${version}`);
  mkdirSync(dir, { recursive: true });
  const next = path.join(dir, `index.ejs.${process.pid}`);
  writeFileSync(next, page);
  renameSync(next, path.join(dir, 'index.ejs'));
  return dir;
}
