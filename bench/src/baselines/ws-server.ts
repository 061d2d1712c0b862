import type { Socket as NetSocket } from 'node:net';
/**
 * Baseline: the limit of this machine. A raw `ws` server keeps its own rooms (a Set of sockets);
 * POST /broadcast?room=R&seq=N stamps the envelope, builds ONE WebSocket text frame for it, and
 * writes those same bytes to every socket of the room: no per-socket encoding at all.
 */
import http from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';
import { benchEnvelope, params } from './envelope';

const rooms = new Map<string, Set<WebSocket>>();
const cursors = new Map<string, number>();
// ws's own framing, used once per broadcast (public static, not in @types/ws).
const Sender = (WebSocket as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender;

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/broadcast')) {
    const q = params(req.url);
    const room = q.get('room') ?? 'r0';
    const cursor = (cursors.get(room) ?? 0) + 1;
    cursors.set(room, cursor);
    const envelope = benchEnvelope(Number(q.get('seq')), cursor);
    const frame = Buffer.concat(
      Sender.frame(Buffer.from(JSON.stringify([envelope.type, envelope])), {
        fin: true,
        rsv1: false,
        opcode: 1,
        mask: false,
        readOnly: false,
      }),
    );
    for (const ws of rooms.get(room) ?? []) {
      const raw = (ws as unknown as { _socket: NetSocket })._socket;
      if (ws.readyState === WebSocket.OPEN) raw.write(frame);
    }
    res.writeHead(200).end('{"ok":true}');
    req.resume();
    return;
  }
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const room = params(req.url).get('room') ?? 'r0';
  let set = rooms.get(room);
  if (!set) rooms.set(room, (set = new Set()));
  set.add(ws);
  ws.on('close', () => set!.delete(ws));
  ws.on('error', () => undefined);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`BASELINE READY http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => process.exit(0));
