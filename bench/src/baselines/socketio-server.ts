/**
 * Baseline: a bare Socket.IO 4 server. A socket joins the room named in its handshake query; POST
 * /broadcast?room=R&seq=N makes one event for the room, like the hub's gateway after a commit, without
 * authentication, bus or redaction.
 * With DATABASE_URL the event goes through the same kind of PostgreSQL outbox as the hub's (./outbox.ts):
 * `at` is stamped inside the transaction, as the hub stamps it, and the emit follows the commit and the
 * relay's SELECT; the answer to /broadcast is sent after the commit, as the hub answers its mutation.
 * Without it, `at` is stamped just before the emit.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { BaselineOutbox } from './outbox';
import { benchEnvelope, params } from './envelope';

const cursors = new Map<string, number>();
const outbox = process.env.DATABASE_URL
  ? new BaselineOutbox(process.env.DATABASE_URL, (row) => {
      // The row holds what benchEnvelope built (jsonb comes back untyped).
      const envelope = { ...(row.data as unknown as ReturnType<typeof benchEnvelope>), cursor: row.cursor };
      io.to(row.room).emit(envelope.type, envelope);
    })
  : null;

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/broadcast')) {
    const q = params(req.url);
    const room = q.get('room') ?? 'r0';
    const seq = Number(q.get('seq'));
    req.resume();
    if (outbox) {
      outbox
        .record(room, (cursor, at) => ({ ...benchEnvelope(seq, cursor), at: at.toISOString() }))
        .then(
          () => res.writeHead(200).end('{"ok":true}'),
          (error: Error) => res.writeHead(500).end(JSON.stringify({ error: error.message })),
        );
      return;
    }
    const cursor = (cursors.get(room) ?? 0) + 1;
    cursors.set(room, cursor);
    const envelope = benchEnvelope(seq, cursor);
    io.to(room).emit(envelope.type, envelope);
    res.writeHead(200).end('{"ok":true}');
    return;
  }
  if (req.url?.startsWith('/socket.io')) return; // socket.io's own handler answers
  res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket'], serveClient: false, maxHttpBufferSize: 64 * 1024 });
io.on('connection', (socket) => {
  const room = socket.handshake.query.room;
  if (typeof room === 'string') void socket.join(room);
});
void (outbox?.init() ?? Promise.resolve()).then(() =>
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`BASELINE READY http://127.0.0.1:${port}${outbox ? ' (with outbox)' : ''}`);
  }),
);
process.on('SIGTERM', () => {
  void io.close();
  void (outbox?.end() ?? Promise.resolve()).finally(() => process.exit(0));
});
