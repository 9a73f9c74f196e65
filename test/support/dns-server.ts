import { createSocket } from 'node:dgram';

/**
 * A real DNS server on loopback (UDP, RFC 1035) that answers A queries from a table the test can
 * change between queries, and counts the queries it gets: a stand-in for the outside world's DNS,
 * including one that answers differently the second time (DNS rebinding). AAAA queries get no answer
 * records; unknown names get NXDOMAIN.
 */
export async function startDnsServer() {
  /** Addresses per name; a function is asked again at every query (to answer differently later). */
  const answers = new Map<string, string[] | (() => string[])>();
  const queries: { name: string; type: number }[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    let at = 12;
    const labels: string[] = [];
    while (msg[at]) {
      labels.push(msg.subarray(at + 1, at + 1 + msg[at]!).toString('latin1'));
      at += msg[at]! + 1;
    }
    const question = msg.subarray(12, at + 5);
    const type = msg.readUInt16BE(at + 1);
    const name = labels.join('.').toLowerCase();
    queries.push({ name, type });
    const entry = answers.get(name);
    const known = typeof entry === 'function' && type === 1 ? entry() : typeof entry === 'function' ? [] : entry;
    const records = type === 1 ? (known ?? []) : [];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // the query's id
    header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // response, recursion available; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const rr = records.map((ip) => {
      const r = Buffer.alloc(16);
      r.writeUInt16BE(0xc00c, 0); // the name, by pointer to the question
      r.writeUInt16BE(1, 2); // A
      r.writeUInt16BE(1, 4); // IN
      r.writeUInt32BE(0, 6); // TTL 0: never cached
      r.writeUInt16BE(4, 10);
      ip.split('.').forEach((o, i) => r.writeUInt8(Number(o), 12 + i));
      return r;
    });
    socket.send(Buffer.concat([header, question, ...rr]), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const server = `127.0.0.1:${socket.address().port}`;
  return {
    server,
    answers,
    queries,
    /** A queries for `name` so far. */
    lookupsOf: (name: string) => queries.filter((q) => q.name === name && q.type === 1).length,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
