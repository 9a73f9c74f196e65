import type { Request, Response } from 'express';
import { isSessionLive, type TSessionPolicy } from '../auth/sessions.ts';
import type { Clock } from '../lib/clock.ts';
import type { Db } from '../lib/db.ts';
import { AppError } from '../lib/errors.ts';
import { handleError } from '../lib/handle-error.ts';
import type { Logger } from '../lib/logger.ts';
import { SAMPLE_CHANNEL } from '../samples/transitions.ts';
import { listenPostgres, type QueueKit } from '../queue/backend.ts';
import { LIVE_CHANNEL } from './notify.job.ts';
import { IMPORT_CHANNEL } from '../imports/progress.ts';

type TNotificationRow = { id: string; type: string; caseId: string | null; sampleId: string | null; title: string; body: unknown; createdAt: Date; readAt: Date | null };

export const notificationView = (n: TNotificationRow) => ({
  id: n.id, type: n.type, caseId: n.caseId, sampleId: n.sampleId, title: n.title, body: n.body, createdAt: n.createdAt, readAt: n.readAt,
});

type TConn = { res: Response; sent: Set<string>; lab: boolean; sessionId: string };

export type TLiveOptions = {
  clock: Clock;
  sessionPolicy: TSessionPolicy;
  /** Open streams one user may hold on this instance; more is a 429. */
  maxStreamsPerUser: number;
  /** How often the sessions behind open streams are checked (logout elsewhere, expiry, user disabled). */
  sessionCheckMs: number;
};

const LAB_ROLES = ['TECHNICIAN', 'MANAGER', 'ADMIN'];

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events for this API instance. Deliveries are announced on the queue backend's pub/sub
 * (Redis or PostgreSQL NOTIFY), so a user connected to any instance hears of them; the instance then
 * reads the notification from the database (the record) and sends it on that user's streams. Each
 * stream sends an id once; `Last-Event-ID` on reconnect replays what was missed.
 *
 * A stream lives no longer than its session: logout and disabling a user close their streams on this
 * instance at once, and every `sessionCheckMs` the sessions of all open streams are checked against
 * the same rule as a request (so a logout on another instance, an idle or absolute expiry, or a
 * disabled user closes them within seconds).
 */
export class LiveHub {
  private readonly conns = new Map<string, Set<TConn>>();
  private unsubscribe?: () => Promise<void>;
  private unlisten?: () => Promise<void>;
  private unlistenImports?: () => Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private sessionCheck?: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly log: Logger, private readonly options: TLiveOptions) {}

  /** Lab staff also get `sample` events (id and status) as samples change, for live worklists. */
  async start(kit: QueueKit, databaseUrl: string): Promise<void> {
    this.unlisten = await listenPostgres(databaseUrl, SAMPLE_CHANNEL, (msg) => {
      for (const set of this.conns.values()) for (const c of set) if (c.lab) c.res.write(`event: sample\ndata: ${msg}\n\n`);
    });
    // Manifest imports running as a job: `import` events (progress) go to the importer's streams only.
    this.unlistenImports = await listenPostgres(databaseUrl, IMPORT_CHANNEL, (msg) => {
      const { userId } = JSON.parse(msg) as { userId: string };
      for (const c of this.conns.get(userId) ?? []) c.res.write(`event: import\ndata: ${msg}\n\n`);
    });
    this.unsubscribe = await kit.subscribe(LIVE_CHANNEL, (msg) => void this.onMessage(msg).catch((err) => handleError(err, this.log, {}, { level: 'warn', msg: 'live push failed' })));
    this.heartbeat = setInterval(() => {
      for (const set of this.conns.values()) for (const c of set) c.res.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.sessionCheck = setInterval(() => void this.closeEndedSessions().catch((err) => handleError(err, this.log, {}, { level: 'warn', msg: 'stream session check failed' })), this.options.sessionCheckMs);
    this.sessionCheck.unref();
  }

  /** Closes the streams whose session is no longer live. */
  async closeEndedSessions(): Promise<void> {
    const ids = [...new Set([...this.conns.values()].flatMap((set) => [...set].map((c) => c.sessionId)))];
    if (!ids.length) return;
    const sessions = await this.db.session.findMany({ where: { id: { in: ids } }, select: { id: true, revokedAt: true, expiresAt: true, lastSeenAt: true, user: { select: { disabledAt: true } } } });
    const now = this.options.clock.now();
    const live = new Set(sessions.filter((s) => isSessionLive(s, now, this.options.sessionPolicy)).map((s) => s.id));
    // Only the sessions asked about: a stream opened while the query ran is checked next time.
    const asked = new Set(ids);
    this.close((c) => asked.has(c.sessionId) && !live.has(c.sessionId), 'session ended');
  }

  /** Closes at once the streams of a session (logout) or of a user (disabled) on this instance. */
  endSessions(which: { sessionId: string } | { userId: string }): void {
    if ('userId' in which) this.close((_c, userId) => userId === which.userId, 'user disabled');
    else this.close((c) => c.sessionId === which.sessionId, 'logout');
  }

  private close(match: (c: TConn, userId: string) => boolean, reason: string): void {
    for (const [userId, set] of this.conns) {
      for (const c of set) {
        if (!match(c, userId)) continue;
        set.delete(c);
        c.res.end();
        this.log.info({ userId, sessionId: c.sessionId, reason }, 'live stream closed');
      }
      if (!set.size) this.conns.delete(userId);
    }
  }

  private async onMessage(msg: string): Promise<void> {
    const { id, recipientId } = JSON.parse(msg) as { id: string; recipientId: string };
    const set = this.conns.get(recipientId);
    if (!set?.size) return;
    const n = await this.db.notification.findUnique({ where: { id } });
    if (n && n.recipientId === recipientId) for (const c of set) this.send(c, n);
  }

  private send(c: TConn, n: TNotificationRow): void {
    if (c.sent.has(n.id)) return;
    c.sent.add(n.id);
    c.res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(notificationView(n))}\n\n`);
  }

  /** Opens a stream for the user's session; replays notifications after `Last-Event-ID` when the client reconnects. */
  async open(req: Request, res: Response, userId: string, role: string, sessionId: string): Promise<void> {
    if ((this.conns.get(userId)?.size ?? 0) >= this.options.maxStreamsPerUser) {
      throw new AppError('RATE_LIMITED', `At most ${this.options.maxStreamsPerUser} live streams per user; close one first`, undefined, { 'Retry-After': '30' });
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n\n');
    const conn: TConn = { res, sent: new Set(), lab: LAB_ROLES.includes(role), sessionId };
    let set = this.conns.get(userId);
    if (!set) this.conns.set(userId, (set = new Set()));
    set.add(conn);
    req.on('close', () => {
      set.delete(conn);
      // The set may already have been dropped (the stream was closed here) and a new one opened since.
      if (!set.size && this.conns.get(userId) === set) this.conns.delete(userId);
    });
    const lastId = req.header('last-event-id');
    const last = lastId && /^[0-9a-f-]{36}$/i.test(lastId) ? await this.db.notification.findFirst({ where: { id: lastId, recipientId: userId } }) : null;
    if (last) {
      const missed = await this.db.notification.findMany({ where: { recipientId: userId, createdAt: { gt: last.createdAt } }, orderBy: { createdAt: 'asc' }, take: 500 });
      for (const n of missed) this.send(conn, n);
    }
  }

  get connections(): number {
    let n = 0;
    for (const s of this.conns.values()) n += s.size;
    return n;
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.sessionCheck);
    // A stream's connection serves nothing else: close it outright so shutdown does not wait on it
    // (the browser's EventSource reconnects, to another instance if there is one).
    for (const set of this.conns.values()) for (const c of set) c.res.end(() => c.res.socket?.destroy());
    this.conns.clear();
    await this.unsubscribe?.();
    await this.unlisten?.();
    await this.unlistenImports?.();
  }
}
