import { type EntityManager, MikroORM } from '@mikro-orm/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type HubConfig, loadConfig } from '@hub/core';
import { createApp } from '@hub/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureHub, HUB_FEATURES } from '../../apps/hub/src/hub';
import { type ScratchDatabase, scratchDatabase } from './database';
import { GraphQLClient } from './graphql-client';

export interface TestApp {
  app: NestExpressApplication;
  config: HubConfig;
  url: string;
  orm: MikroORM;
  gql: GraphQLClient;
  /** A fresh entity manager for setting up and checking rows directly. */
  em(): EntityManager;
  close(): Promise<void>;
}

/**
 * The real hub (GraphQL and Socket.IO, one port) on a scratch database of the project's dialect,
 * listening on a random loopback port. `env` overrides settings as an operator would.
 */
export async function startTestApp(env: Record<string, string> = {}, database?: ScratchDatabase): Promise<TestApp> {
  const db = database ?? (await scratchDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    MIGRATE_ON_START: 'true',
    DEMO_DATA: 'false',
    // Suites using the machine's Redis share its counters (per address: 127.0.0.1) while they run in parallel.
    LOGIN_RATE_LIMIT: '10000',
    // Suites make hundreds of changes per member in seconds; the rate-limit tests set their own.
    MUTATION_RATE_LIMIT: '1000000',
    // Failures show; request lines would bury them.
    LOG_LEVEL: 'error',
    // Background writers off unless a suite asks: their statements would show in counts and table hashes.
    WEBHOOK_POLL_MS: '0',
    API_KEY_EXPIRY_SWEEP_MS: '0',
    // A reminder sweep once a minute would write notices in the middle of a long suite's before/after reads.
    REMINDER_SWEEP_SECONDS: '0',
    ...env,
  });
  const { app } = await createApp(config, HUB_FEATURES, configureHub);
  await app.listen(0, '127.0.0.1');
  // Node closes an idle keep-alive connection after 5 s, and fetch (undici) keeps one for 4 s: on a loaded
  // machine the timers slip and a request goes out on a socket the server is closing (ECONNRESET, seen once
  // in the property suites). A server that waits longer than the client lets the client always close first.
  app.getHttpServer().keepAliveTimeout = 30_000;
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const orm = app.get(MikroORM);
  return {
    app,
    config,
    url,
    orm,
    gql: new GraphQLClient(`${url}/graphql`),
    em: () => orm.em.fork(),
    close: async () => {
      await app.close();
      if (!database) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
