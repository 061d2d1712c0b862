import 'reflect-metadata';
import { startApp } from '@hub/platform';
import { GatewayModule } from './gateway.module';
import { HubIoAdapter } from './hub-io.adapter';

void startApp('gateway', [GatewayModule], (app, config) => app.useWebSocketAdapter(new HubIoAdapter(app, config)));
