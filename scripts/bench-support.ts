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

/** The fields of /proc/<pid>/stat after the process name: [1] the parent, [11–14] CPU ticks (own, then reaped children's). */
export const statFields = (pid: number | 'self') => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};

/** Every running process with its parent and name, read once from /proc. */
function processTable(): { pid: number; parent: number; name: string }[] {
  const out: { pid: number; parent: number; name: string }[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      out.push({ pid: Number(d), parent: Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]), name: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The running child processes of `parent`, with their names. */
export const childProcesses = (parent: number) => processTable().filter((p) => p.parent === parent);

/** `pid` and all its running descendants. */
export function processTree(pid: number): number[] {
  const table = processTable();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const p of table) if (p.parent === tree[i]) tree.push(p.pid);
  return tree;
}

/** Seconds on a CPU and seconds runnable but waiting for one (the kernel's schedstat), over all threads of `pids`. */
export function schedSeconds(pids: number[]): { run: number; wait: number } {
  let run = 0;
  let wait = 0;
  for (const pid of pids) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
        run += onCpu! / 1e9;
        wait += waiting! / 1e9;
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return { run, wait };
}
const ticks = (f: string[]) => Number(f[11]) + Number(f[12]);

/**
 * CPU seconds (user + system) used so far by `pid`; with `children`, by all its child processes
 * (PostgreSQL's backends), those still running and those it has reaped.
 */
export function cpuSeconds(pid: number, children = false): number {
  const own = statFields(pid);
  if (!children) return ticks(own) / 100;
  let sum = Number(own[13]) + Number(own[14]);
  for (const c of childProcesses(pid)) {
    try {
      sum += ticks(statFields(c.pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return sum / 100;
}

/** Runs `fn` over `items` with `size` in flight, in `size` lanes; each call is told its lane. */
export async function inFlight<T>(items: T[], size: number, fn: (t: T, lane: number) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: size }, async (_, lane) => {
    while (i < items.length) await fn(items[i++]!, lane);
  }));
}

/** The p-th percentile as the value at index floor(p·n) of the sorted values (NaN for none). */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

/** The p-th percentile by nearest rank: the ceil(p·n)-th smallest value. */
export const nearestRank = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A loopback port the system just handed out and released: for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
