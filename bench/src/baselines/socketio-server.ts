/**
 * Baseline: a bare Socket.IO 4 server. A socket joins the room named in its handshake query; POST
 * /broadcast?room=R&seq=N stamps the envelope's `at` and emits it to the room, like the hub's gateway
 * does after a commit — without authentication, database, outbox, bus or redaction.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { benchEnvelope, params } from './envelope';

const cursors = new Map<string, number>();
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/broadcast')) {
    const q = params(req.url);
    const room = q.get('room') ?? 'r0';
    const cursor = (cursors.get(room) ?? 0) + 1;
    cursors.set(room, cursor);
    const envelope = benchEnvelope(Number(q.get('seq')), cursor);
    io.to(room).emit(envelope.type, envelope);
    res.writeHead(200).end('{"ok":true}');
    req.resume();
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
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`BASELINE READY http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
