import { MikroORM } from '@mikro-orm/core';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, HubConfig, loadConfig } from '@hub/core';
import { PendingMigrationsError, prepareDatabase } from '@hub/database';
import { PasswordHasher } from '@hub/identity';
import helmet from 'helmet';
import { composeRoot } from './platform.module';

export type Configure = (app: NestExpressApplication, config: HubConfig) => void;

/** A start-up problem an operator can fix; reported as one line, without a stack. */
export class StartupError extends Error {}

/** HTTP settings shared by every deployable (and by the test app, so tests see what users see). */
export function configureHttp(app: NestExpressApplication, config: HubConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(helmet());
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: true });
  app.enableShutdownHooks();
}

/**
 * Builds a deployable from validated config: the Nest app with its HTTP settings, and the database
 * prepared (the embedded default migrates itself; elsewhere pending migrations stop the start).
 */
export async function createApp(config: HubConfig, features: Type[], configure?: Configure) {
  const app = await NestFactory.create<NestExpressApplication>(composeRoot(config, features), {
    abortOnError: false,
    // Nest's start-up chatter hides the lines a person needs; warnings and errors still show.
    logger: ['error', 'warn'],
  });
  configureHttp(app, config);
  configure?.(app, config);
  const orm = app.get(MikroORM);
  if (!(await orm.isConnected())) {
    await app.close();
    const where = config.database.dialect === 'sqlite' ? config.database.file : new URL(config.database.url).host;
    throw new StartupError(`Cannot reach the database (${config.database.dialect} at ${where}). Check DATABASE_URL and that the server is running.`);
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

/** `main` of every deployable: config from the environment, start, listen, and say where. */
export async function startApp(name: string, features: Type[], configure?: Configure): Promise<void> {
  let config: HubConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`);
    throw error;
  }
  const { app, prepared } = await createApp(config, features, configure).catch((error: Error) =>
    fail(error instanceof StartupError ? error.message : `Could not start ${name}: ${error.message}`),
  );
  await app.listen(config.port, config.host).catch((error: Error) => fail(`Cannot listen on ${config.host}:${config.port}: ${error.message}`));
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  const lines = [
    '',
    `Task Force Hub (${name}) is up.`,
    `  GraphQL:    ${url}/graphql`,
    `  Socket.IO:  ${url}/socket.io`,
    `  Health:     ${url}/health/ready`,
    `  Database:   ${config.database.dialect === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL'}; events: ${config.redisUrl ? 'Redis' : 'in-process'}`,
    ...(prepared.migrated.length ? [`  Migrations: applied ${prepared.migrated.join(', ')}`] : []),
    ...(prepared.demo ?? []),
    '',
  ];
  console.log(lines.join('\n'));
}
