import { MikroORM } from '@mikro-orm/core';
import { type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, type HubConfig, loadConfig, Metrics } from '@hub/core';
import { PendingMigrationsError, prepareDatabase } from '@hub/database';
import { PasswordHasher } from '@hub/identity';
import helmet from 'helmet';
import { composeRoot } from './platform.module';
import { Drain } from './shutdown/drain';
import { httpMetrics } from './observability/http-metrics';
import { HubLogger, requestLogging, ROOT_LOGGER } from './observability/logging';

export type Configure = (app: NestExpressApplication, config: HubConfig) => void;

/** A start-up problem an operator can fix; reported as one line, without a stack. */
export class StartupError extends Error {}

/** HTTP settings shared by every deployable (and by the test app, so tests see what users see). */
export function configureHttp(app: NestExpressApplication, config: HubConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Express hashed every body it sent for a weak ETag. Answers are no-store (below), so none is revalidated; the
  // client's index.html (no-cache, under a kilobyte) is now sent whole on each load, its hashed assets keep theirs.
  app.set('etag', false);
  // First, so that its line times the whole answer and every line logged while serving it has its id.
  app.use(requestLogging(app.get(ROOT_LOGGER)));
  app.use(app.get(Drain).track);
  app.use(httpMetrics(app.get(Metrics)));
  // The default policy, minus upgrade-insecure-requests: the embedded hub is plain http on loopback,
  // and TLS in front of it is the proxy's business (with HSTS).
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use((req: { path: string }, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    // Answers carry case data and tokens: no cache may keep them. Only the client's hashed assets may be cached.
    if (!req.path.startsWith('/assets/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.useBodyParser('json', { limit: `${config.bodyLimitKb}kb` });
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: true });
}

/**
 * SIGTERM or SIGINT: drain (see Drain), then close the app, which flushes the outbox and closes
 * Redis and the database, and exit 0. A second signal, or a drain that hangs, ends it at once.
 */
function stopOnSignals(app: NestExpressApplication, config: HubConfig, name: string): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${name}: second ${signal}, exiting without draining`);
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    let stage = 'draining';
    const hardStop = setTimeout(() => {
      console.error(
        `${name}: shutdown took longer than ${config.shutdownGraceMs + 5_000} ms (stuck ${stage}), exiting`,
      );
      process.exit(1);
    }, config.shutdownGraceMs + 5_000);
    hardStop.unref();
    console.log(`${name}: ${signal} received; draining (up to ${config.shutdownGraceMs} ms for requests in flight)`);
    const server = app.getHttpServer();
    const drained = await app.get(Drain).start(config.shutdownGraceMs, () => {
      server.close();
      server.closeIdleConnections();
    });
    server.closeAllConnections();
    stage = 'closing the app (outbox, Redis, database)';
    await app.close();
    console.log(`${name}: ${signal} received; drained in ${Date.now() - started} ms: ${drained}; outbox flushed.`);
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

/**
 * Builds a deployable from validated config: the Nest app with its HTTP settings, and the database
 * prepared (the embedded default migrates itself; elsewhere pending migrations stop the start).
 */
export async function createApp(config: HubConfig, features: Type[], configure?: Configure) {
  const app = await NestFactory.create<NestExpressApplication>(composeRoot(config, features), {
    abortOnError: false,
    // Until pino takes over (below), only what a person must see.
    logger: ['error', 'warn'],
  });
  app.useLogger(app.get(HubLogger));
  configureHttp(app, config);
  configure?.(app, config);
  const orm = app.get(MikroORM);
  if (!(await orm.isConnected())) {
    await app.close();
    const where = config.database.dialect === 'sqlite' ? config.database.file : new URL(config.database.url).host;
    throw new StartupError(
      `Cannot reach the database (${config.database.dialect} at ${where}). Check DATABASE_URL and that the server is running.`,
    );
  }
  try {
    const prepared = await prepareDatabase(orm, config, app.get(PasswordHasher));
    return { app, prepared };
  } catch (error) {
    await app.close();
    if (error instanceof PendingMigrationsError) throw new StartupError(`Refusing to start: ${error.message}`);
    throw error;
  }
}

function fail(message: string): never {
  // One line naming what is wrong, and a non-zero exit.
  console.error(message);
  process.exit(1);
}

/** What a deployable serves, for its banner: it lists only URLs that answer. */
export interface Deployable {
  name: 'hub' | 'api' | 'gateway';
  serves: ('web' | 'graphql' | 'socket.io')[];
  /** PORT when unset: 3000, or the gateway's 3001, so `start:api` and `start:gateway` run side by side. */
  defaultPort?: number;
}

/** `main` of every deployable: config from the environment, start, listen, and say where. */
export async function startApp(deployable: Deployable, features: Type[], configure?: Configure): Promise<void> {
  const { name, serves } = deployable;
  let config: HubConfig;
  try {
    config = loadConfig(process.env, { port: deployable.defaultPort });
  } catch (error) {
    if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`);
    throw error;
  }
  const { app, prepared } = await createApp(config, features, configure).catch((error: Error) =>
    fail(error instanceof StartupError ? error.message : `Could not start ${name}: ${error.message}`),
  );
  await app
    .listen(config.port, config.host)
    .catch((error: Error) => fail(`Cannot listen on ${config.host}:${config.port}: ${error.message}`));
  stopOnSignals(app, config, name);
  app.get(Metrics).identify(name);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const lines = [
    '',
    `Task Force Hub (${name}) is up.`,
    // Only the hub serves the web client (apps/hub/src/web-client.ts); nginx serves it in the scaled deployment.
    ...(serves.includes('web') ? [`  Web client: ${url}/`] : []),
    ...(serves.includes('graphql')
      ? [`  GraphQL:    ${url}/graphql (subscriptions: ${url.replace(/^http/, 'ws')}/graphql)`]
      : []),
    ...(serves.includes('socket.io') ? [`  Socket.IO:  ${url}/socket.io`] : []),
    `  Health:     ${url}/health/ready`,
    `  Database:   ${config.database.dialect === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL'}; events: ${config.redisUrl ? 'Redis' : 'in-process'}`,
    ...(config.production && !config.metricsToken
      ? ['  Metrics:    closed: set METRICS_TOKEN to let Prometheus scrape /metrics']
      : []),
    ...(prepared.migrated.length ? [`  Migrations: applied ${prepared.migrated.join(', ')}`] : []),
    ...(prepared.demo ?? []),
    '',
  ];
  console.log(lines.join('\n'));
}
