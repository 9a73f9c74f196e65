/** Helpers of the benchmarks: a TCP proxy that delays traffic, CPU time of processes, a worker pool, a free port. */
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to 127.0.0.1:`targetPort` that holds every chunk `roundTripMs / 2` in each direction,
 * as a database on the lab network rather than on the same machine would. Order is kept: chunks of
 * one direction wait the same time and their timers fire in the order they were set.
 */
export async function startLatencyProxy(targetPort: number, roundTripMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => (roundTripMs > 0 ? setTimeout(() => to.writable && to.write(chunk), roundTripMs / 2) : to.write(chunk)));
    from.on('close', () => setTimeout(() => to.destroy(), roundTripMs / 2));
    from.on('error', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const statFields = (pid: string) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};
const ticks = (f: string[]) => Number(f[11]) + Number(f[12]);

/**
 * CPU seconds (user + system) used so far by `pid`; with `children`, by all its child processes
 * (PostgreSQL's backends), those still running and those it has reaped.
 */
export function cpuSeconds(pid: number, children = false): number {
  const own = statFields(String(pid));
  if (!children) return ticks(own) / 100;
  let sum = Number(own[13]) + Number(own[14]);
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = statFields(p);
      if (Number(f[1]) === pid) sum += ticks(f);
    } catch {
      // the process ended meanwhile
    }
  }
  return sum / 100;
}

/** Runs `fn` over `items` with `size` in flight. */
export async function inFlight<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A loopback port the system just handed out and released: for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
