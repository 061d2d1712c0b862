import { GraphQLSchemaHost } from '@nestjs/graphql';
import { loadConfig } from '@hub/core';
import { createApp } from '@hub/platform';
import { printSchema } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiModule } from '../api.module';

export const SCHEMA_HEADER =
  "# The hub's GraphQL contract, written by `npm run build` from the code-first models.\n" +
  '# Do not edit: change the models, build, and commit the result (a test fails when this file is stale).\n\n';

/**
 * The schema as the api serves it, printed in SDL. Production turns introspection off, so this
 * committed file is how client apps (and the web client's generated types) learn the contract.
 * The api is composed on a throwaway SQLite file: building the schema needs the modules, not data.
 */
export async function printHubSchema(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-schema-'));
  try {
    const config = loadConfig({
      DATA_DIR: dataDir,
      MIGRATE_ON_START: 'true',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'error',
      JWT_SECRET: 'schema-printing-only-schema-printing-only-0123',
    });
    const { app } = await createApp(config, [ApiModule]);
    try {
      await app.init();
      return SCHEMA_HEADER + printSchema(app.get(GraphQLSchemaHost).schema) + '\n';
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
