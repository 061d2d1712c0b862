import { Logger } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { EventEmitter } from 'node:events';
import { of } from 'rxjs';
import type { Socket } from 'socket.io';
import { HubIoAdapter } from './hub-io.adapter';

/** Just enough of a Socket.IO socket: listeners, `connected`, and what the server emitted on it. */
class FakeSocket extends EventEmitter {
  connected = true;
  readonly emitted: [string, unknown][] = [];

  /** A message from the client, as Socket.IO delivers it to listeners. */
  receive(event: string, ...args: unknown[]): boolean {
    return super.emit(event, ...args);
  }

  override emit(event: string, data?: unknown): boolean {
    this.emitted.push([event, data]);
    return true;
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('HubIoAdapter.bindMessageHandlers: one plain listener per handler, answering as Nest did', () => {
  const adapter = new HubIoAdapter(undefined as never, { corsOrigins: [], redisUrl: undefined } as never);

  function bind(callback: MessageMappingProperties['callback'], isAckHandledManually = false) {
    const socket = new FakeSocket();
    const calls: unknown[][] = [];
    adapter.bindMessageHandlers(
      socket as unknown as Socket,
      [
        {
          message: 'room.join',
          methodName: 'join',
          isAckHandledManually,
          callback: (...args: unknown[]) => {
            calls.push(args);
            return callback(...args);
          },
        },
      ],
      () => {
        throw new Error('the RxJS transform is not used');
      },
    );
    return { socket, calls };
  }

  it('adds exactly one listener per handler and none for disconnect', () => {
    const { socket } = bind(async () => undefined);
    expect(socket.eventNames()).toEqual(['room.join']);
    expect(socket.listenerCount('room.join')).toBe(1);
  });

  it('shares one listener between sockets, each still reaching the callback Nest bound to it', async () => {
    const first = bind(async () => ({ ok: true, from: 'first' }));
    const second = bind(async () => ({ ok: true, from: 'second' }));
    expect(first.socket.listeners('room.join')[0]).toBe(second.socket.listeners('room.join')[0]);
    const acks: unknown[] = [];
    second.socket.receive('room.join', { n: 2 }, (answer: unknown) => acks.push(answer));
    first.socket.receive('room.join', { n: 1 }, (answer: unknown) => acks.push(answer));
    await settle();
    expect(first.calls.map(([body]) => body)).toEqual([{ n: 1 }]);
    expect(second.calls.map(([body]) => body)).toEqual([{ n: 2 }]);
    expect(acks).toEqual([
      { ok: true, from: 'second' },
      { ok: true, from: 'first' },
    ]);
  });

  it('passes the body and the acknowledgement, and acknowledges with what the handler returned', async () => {
    const { socket, calls } = bind(async (body: unknown) => ({ ok: true, echo: body }));
    const acks: unknown[] = [];
    socket.receive('room.join', { taskForceId: 't' }, (answer: unknown) => acks.push(answer));
    expect(calls).toHaveLength(1); // called at once, in the same turn as the message
    await settle();
    expect(calls[0][0]).toEqual({ taskForceId: 't' });
    expect(typeof calls[0][1]).toBe('function');
    expect(acks).toEqual([{ ok: true, echo: { taskForceId: 't' } }]);
  });

  it('maps payloads like fromEvent + mapPayload: only an ack, several arguments, no ack', async () => {
    const { socket, calls } = bind(async () => ({ ok: true }));
    const acks: unknown[] = [];
    socket.receive('room.join', (answer: unknown) => acks.push(answer));
    socket.receive('room.join', 'a', 'b', (answer: unknown) => acks.push(answer));
    socket.receive('room.join', { only: 'data' });
    await settle();
    expect(calls.map((args) => args[0])).toEqual([undefined, ['a', 'b'], { only: 'data' }]);
    expect(calls.map((args) => typeof args[1])).toEqual(['function', 'function', 'undefined']);
    expect(acks).toEqual([{ ok: true }, { ok: true }]);
  });

  it('emits `{ event, data }` answers as events, and says nothing for an empty answer', async () => {
    const replies: unknown[] = [{ event: 'pong', data: { n: 1 } }, undefined, null];
    const { socket } = bind(async () => replies.shift());
    const acks: unknown[] = [];
    for (let i = 0; i < 3; i++) socket.receive('room.join', {}, (answer: unknown) => acks.push(answer));
    await settle();
    expect(socket.emitted).toEqual([['pong', { n: 1 }]]);
    expect(acks).toEqual([]);
  });

  it('leaves the acknowledgement to a handler that handles it itself', async () => {
    const { socket } = bind(async () => ({ ok: true }), true);
    const acks: unknown[] = [];
    socket.receive('room.join', {}, (answer: unknown) => acks.push(answer));
    await settle();
    expect(acks).toEqual([]);
  });

  it('answers every value of an Observable result (an interceptor may return one)', async () => {
    const { socket } = bind(async () => of({ ok: true, n: 1 }, { ok: true, n: 2 }));
    const acks: unknown[] = [];
    socket.receive('room.join', {}, (answer: unknown) => acks.push(answer));
    await settle();
    expect(acks).toEqual([
      { ok: true, n: 1 },
      { ok: true, n: 2 },
    ]);
  });

  it('does not answer a socket that disconnected while the handler ran', async () => {
    let finish!: (value: unknown) => void;
    const { socket } = bind(() => new Promise((resolve) => (finish = resolve)));
    const acks: unknown[] = [];
    socket.receive('room.join', {}, (answer: unknown) => acks.push(answer));
    socket.connected = false;
    finish({ ok: true });
    await settle();
    expect(acks).toEqual([]);
  });

  it('keeps serving the socket when the handler chain itself fails, logging no error text', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let fail = true;
    const { socket } = bind(async () => {
      if (fail) throw new Error('filter fault with SQL values');
      return { ok: true };
    });
    const acks: unknown[] = [];
    socket.receive('room.join', {}, (answer: unknown) => acks.push(answer));
    await settle();
    fail = false;
    socket.receive('room.join', {}, (answer: unknown) => acks.push(answer));
    await settle();
    expect(acks).toEqual([{ ok: true }]);
    expect(logged.mock.calls).toEqual([['handler of room.join failed: Error']]);
    logged.mockRestore();
  });
});
