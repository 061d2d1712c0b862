import WebSocket from 'ws';
import { waitUntil } from './wait';

/** What a raw WebSocket received and how it ended: for speaking a protocol wrongly on purpose. */
export class RawSocket {
  readonly frames: string[] = [];
  closed: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) =>
      this.frames.push(isBinary ? `<binary ${(data as Buffer).length}>` : data.toString()),
    );
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined);
  }

  static open(url: string, protocol?: string): Promise<RawSocket> {
    const ws = new WebSocket(url, protocol ? [protocol] : [], { maxPayload: 1 << 24 });
    const raw = new RawSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(raw));
      ws.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  async waitFor(match: (frame: string) => boolean, what: string, timeoutMs = 5_000): Promise<string> {
    // Frames are only ever appended, so the first match found stays the first.
    await waitUntil(() => this.frames.some(match), `a frame ${what}`, {
      timeoutMs,
      state: () => ({ frames: this.frames.map((f) => f.slice(0, 120)), closed: this.closed }),
    });
    return this.frames.find(match) as string;
  }

  async waitForClose(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    await waitUntil(() => this.closed !== null, 'the connection to close', {
      timeoutMs,
      state: () => this.frames.map((f) => f.slice(0, 120)),
    });
    return this.closed as { code: number; reason: string };
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * Engine.IO v4 / Socket.IO v5 spoken by hand over a WebSocket: `0{…}` open, `2`/`3` ping-pong,
 * `40{auth}` connect to the default namespace, `42[…]` events, `43` acks, `44` connect errors.
 */
export class RawSocketIo extends RawSocket {
  static async connect(httpUrl: string): Promise<RawSocketIo> {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      maxPayload: 1 << 24,
    });
    const raw = new RawSocketIo(ws);
    ws.on('message', (data) => {
      if (data.toString() === '2') ws.send('3');
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await raw.waitFor((f) => f.startsWith('0{'), 'Engine.IO open');
    return raw;
  }

  /** CONNECT to the default namespace with `auth`; resolves with the server's answer (`40{sid}` or `44{error}`). */
  async handshake(auth: unknown): Promise<string> {
    this.send(`40${JSON.stringify(auth)}`);
    return this.waitFor((f) => f.startsWith('40') || f.startsWith('44'), 'CONNECT answer');
  }

  /** An event with an ack id; resolves with the ack's payload. */
  async ask(id: number, event: string, payload: unknown): Promise<any> {
    this.send(`42${id}${JSON.stringify([event, payload])}`);
    const frame = await this.waitFor((f) => f.startsWith(`43${id}[`), `ack ${id}`);
    return JSON.parse(frame.slice(`43${id}`.length))[0];
  }
}
