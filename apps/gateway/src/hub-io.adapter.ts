import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { HubConfig } from '@hub/core';
import type { Server, ServerOptions } from 'socket.io';

/** Socket.IO server options from the validated config: CORS origins and a payload ceiling. */
export class HubIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: HubConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    return super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.corsOrigins.length ? this.config.corsOrigins : false, credentials: true },
      maxHttpBufferSize: 64 * 1024,
    });
  }
}
