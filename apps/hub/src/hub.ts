import { type Configure } from '@hub/platform';
import { ApiModule } from '../../api/src/api.module';
import { GatewayModule } from '../../gateway/src/gateway.module';
import { HubIoAdapter } from '../../gateway/src/hub-io.adapter';
import { serveWebClient } from './web-client';

/** The embedded default: GraphQL and Socket.IO in one process on one port. */
export const HUB_FEATURES = [ApiModule, GatewayModule];

/** Also serves the web client (apps/web) at `/`. */
export const configureHub: Configure = (app, config) => {
  app.useWebSocketAdapter(new HubIoAdapter(app, config));
  serveWebClient(app);
};
