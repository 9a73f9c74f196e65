import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response, Router } from 'express';
import { authenticate } from '../http/authenticate.ts';
import type { AppDeps } from '../entry/deps.ts';
import { errorBody } from '../http/errors.ts';
import { QUEUE_NAMES } from '../queue/catalog.ts';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board (the maintained BullMQ dashboard) for administrators only: the web session is checked
 * on every request, and anyone else gets a 404, as for a page that does not exist.
 */
export function queueBoard(deps: AppDeps): { path: string; guard: (req: Request, res: Response, next: NextFunction) => void; router: Router } {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: QUEUE_NAMES.map((q) => new BullMQAdapter(deps.queues.queue(q) as never, { readOnlyMode: false })), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'fol-triage queues' } } });
  const guard = (req: Request, res: Response, next: NextFunction) => {
    authenticate(req, deps).then(
      ({ user }) => (user.role === 'ADMIN' ? next() : res.status(404).json(errorBody('NOT_FOUND', 'Not found'))),
      () => res.status(404).json(errorBody('NOT_FOUND', 'Not found')),
    );
  };
  return { path: BOARD_PATH, guard, router: adapter.getRouter() as Router };
}
