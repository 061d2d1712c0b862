/**
 * A counting proxy for the PostgreSQL wire protocol, run as its own process (forked by pgproxy.ts) so
 * its CPU is not the load generator's. Every byte is passed through unchanged; on the way in it counts
 * statements: each simple Query ('Q') and each Execute ('E') of the extended protocol, with the
 * statement's text, and round trips (each Query and each Sync). The parent asks for a snapshot over IPC.
 */
import { createConnection, createServer, type Socket } from 'node:net';

const upstreamHost = process.env.PGPROXY_UPSTREAM_HOST ?? '127.0.0.1';
const upstreamPort = Number(process.env.PGPROXY_UPSTREAM_PORT ?? 5432);

let statements = 0;
let roundTrips = 0;
const byText = new Map<string, number>();

function count(text: string): void {
  statements++;
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 160);
  byText.set(key, (byText.get(key) ?? 0) + 1);
}

function cString(buf: Buffer, from: number): [string, number] {
  const end = buf.indexOf(0, from);
  return [buf.toString('utf8', from, end), end + 1];
}

class Parser {
  private buf: Buffer = Buffer.alloc(0);
  private startup = true;
  private readonly prepared = new Map<string, string>();
  private readonly portals = new Map<string, string>();

  feed(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.startup) {
        if (this.buf.length < 8) return;
        const len = this.buf.readInt32BE(0);
        if (this.buf.length < len) return;
        const code = this.buf.readInt32BE(4);
        this.buf = this.buf.subarray(len);
        // SSLRequest / GSSENCRequest / CancelRequest come before (or instead of) the real startup.
        if (code !== 80877103 && code !== 80877104 && code !== 80877102) this.startup = false;
        continue;
      }
      if (this.buf.length < 5) return;
      const type = String.fromCharCode(this.buf[0]);
      const len = this.buf.readInt32BE(1);
      if (this.buf.length < len + 1) return;
      const body = this.buf.subarray(5, len + 1);
      this.buf = this.buf.subarray(len + 1);
      this.message(type, body);
    }
  }

  private message(type: string, body: Buffer): void {
    switch (type) {
      case 'Q':
        roundTrips++;
        count(cString(body, 0)[0]);
        return;
      case 'P': {
        const [name, next] = cString(body, 0);
        this.prepared.set(name, cString(body, next)[0]);
        return;
      }
      case 'B': {
        const [portal, next] = cString(body, 0);
        this.portals.set(portal, this.prepared.get(cString(body, next)[0]) ?? '?');
        return;
      }
      case 'E':
        count(this.portals.get(cString(body, 0)[0]) ?? '?');
        return;
      case 'S':
        roundTrips++;
        return;
    }
  }
}

const server = createServer((client: Socket) => {
  const upstream = createConnection({ host: upstreamHost, port: upstreamPort });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  const parser = new Parser();
  client.on('data', (chunk: Buffer) => {
    try {
      parser.feed(chunk);
    } catch {
      /* counting must never break the connection */
    }
    upstream.write(chunk);
  });
  upstream.pipe(client);
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send!({ ready: address.port });
});

process.on('message', (message: { snapshot?: boolean; reset?: boolean }) => {
  if (message.snapshot) process.send!({ statements, roundTrips, byText: Object.fromEntries(byText) });
  if (message.reset) {
    statements = 0;
    roundTrips = 0;
    byText.clear();
  }
});
process.on('disconnect', () => process.exit(0));
