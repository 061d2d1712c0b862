import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { closeRedis, type HubConfig, redisKeys } from '@hub/core';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { isObservable, type Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';

const logger = new Logger('Gateway');

/**
 * Socket.IO server options from the validated config: CORS origins, a payload ceiling, and with
 * REDIS_URL the Redis adapter, so presence and room operations see the sockets of every instance.
 * (Domain events do not need it: every instance receives them from the event bus itself.)
 *
 * Message handlers are bound with one plain listener each, shared by every socket, instead of Nest's
 * RxJS pipeline per socket and handler (fromEvent, mergeMap, takeUntil: about 15 KB of every idle
 * socket). The callback Nest hands over already runs guards, pipes, interceptors and the exception
 * filter; only the wiring changes.
 */
export class HubIoAdapter extends IoAdapter {
  private readonly clients: Redis[] = [];
  /** Per socket, Nest's message callbacks bound to it, in the order of its handlers. */
  private readonly callbacks = new WeakMap<Socket, MessageMappingProperties['callback'][]>();
  private readonly listeners = new Map<string, (...args: unknown[]) => void>();

  constructor(
    app: INestApplicationContext,
    private readonly config: HubConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.corsOrigins.length ? this.config.corsOrigins : false, credentials: true },
      maxHttpBufferSize: 64 * 1024,
    });
    if (this.config.redisUrl) {
      const pub = new Redis(this.config.redisUrl, { disconnectTimeout: 100 });
      const sub = pub.duplicate();
      for (const client of [pub, sub]) client.on('error', () => undefined); // health and the bus report Redis trouble
      this.clients.push(pub, sub);
      server.adapter(
        createAdapter(pub, sub, { key: redisKeys(this.config.redisKeyPrefix).socketAdapter, requestsTimeout: 2_000 }),
      );
    }
    return server;
  }

  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    _transform: (data: unknown) => Observable<unknown>,
  ): void {
    // Nest hands over its callbacks bound to this socket; the listeners themselves are shared. (Several
    // gateways bind one after another, in the same order for every socket: their indexes follow on.)
    let callbacks = this.callbacks.get(socket);
    if (!callbacks) this.callbacks.set(socket, (callbacks = []));
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, this.listener(message as string, callbacks.length, isAckHandledManually));
      callbacks.push(callback);
    }
  }

  /** One listener per message handler for every socket: Socket.IO calls it on the socket. */
  private listener(message: string, index: number, isAckHandledManually: boolean): (...args: unknown[]) => void {
    const key = `${index}:${message}:${isAckHandledManually}`;
    const known = this.listeners.get(key);
    if (known) return known;
    const callbacks = this.callbacks;
    const mapPayload = (payload: unknown) => this.mapPayload(payload);
    const dispatch = (socket: Socket, args: unknown[]): void => {
      const callback = callbacks.get(socket)?.[index];
      if (!callback) return;
      // As rxjs' fromEvent passes them on: one argument alone, several as an array.
      const { data, ack } = mapPayload(args.length > 1 ? args : args[0]);
      const respond = (response: unknown) => {
        // Nothing to answer, or nobody left to answer (Nest stopped at disconnect too).
        if (response === undefined || response === null || !socket.connected) return;
        const reply = response as { event?: string; data?: unknown };
        if (reply.event) socket.emit(reply.event, reply.data);
        else if (!isAckHandledManually && typeof ack === 'function') (ack as (answer: unknown) => void)(response);
      };
      const failed = (error: unknown) =>
        // The exception filter has answered already; this is a fault in the filter itself.
        logger.error(`handler of ${message} failed: ${error instanceof Error ? error.name : 'error'}`);
      let pending: unknown;
      try {
        pending = callback(data, ack); // synchronously, as Nest's mergeMap did
      } catch (error) {
        return failed(error);
      }
      Promise.resolve(pending)
        .then((result: unknown) => {
          if (isObservable(result)) result.subscribe({ next: respond, error: failed });
          else respond(result);
        })
        .catch(failed);
    };
    const listener = function (this: Socket, ...args: unknown[]): void {
      dispatch(this, args);
    };
    this.listeners.set(key, listener);
    return listener;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.splice(0).map((client) => closeRedis(client)));
  }
}
