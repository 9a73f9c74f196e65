/** A real Server-Sent Events client over fetch: collects events until closed. */
export type TSseEvent = { id?: string; event?: string; data: unknown };

export async function openEventStream(url: string, token: string, lastEventId?: string) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) }, signal: abort.signal });
  if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}`);
  const events: TSseEvent[] = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let serverClosed = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          serverClosed = true;
          return;
        }
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: Partial<TSseEvent> & { lines: string[] } = { lines: [] };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) e.lines.push(line.slice(6));
          }
          if (e.lines.length) events.push({ id: e.id, event: e.event, data: JSON.parse(e.lines.join('\n')) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    headers: res.headers,
    /** Settles when the stream ends, closed by either side. */
    ended: pump,
    get closedByServer() {
      return serverClosed;
    },
    async close() {
      abort.abort();
      await pump;
    },
  };
}
