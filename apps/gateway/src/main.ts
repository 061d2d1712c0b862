import 'reflect-metadata';
import { startApp } from '@hub/platform';
import { GatewayModule } from './gateway.module';
import { HubIoAdapter } from './hub-io.adapter';

void startApp({ name: 'gateway', serves: ['socket.io'], defaultPort: 3001 }, [GatewayModule], (app, config) =>
  app.useWebSocketAdapter(new HubIoAdapter(app, config)),
);
