import { type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { closeRedis, type HubConfig, redisKeys } from '@hub/core';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * Socket.IO server options from the validated config: CORS origins, a payload ceiling, and with
 * REDIS_URL the Redis adapter, so presence and room operations see the sockets of every instance.
 * (Domain events do not need it: every instance receives them from the event bus itself.)
 */
export class HubIoAdapter extends IoAdapter {
  private readonly clients: Redis[] = [];

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

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.splice(0).map((client) => closeRedis(client)));
  }
}
