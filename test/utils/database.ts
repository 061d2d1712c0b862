import { type DatabaseConfig } from '@hub/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Dialect = 'sqlite' | 'postgres';

export function testDialect(): Dialect {
  const dialect = process.env.TEST_DB;
  if (dialect !== 'sqlite' && dialect !== 'postgres')
    throw new Error('TEST_DB must be sqlite or postgres (set by the Jest project)');
  return dialect;
}

export interface ScratchDatabase {
  config: DatabaseConfig;
  url: string;
  drop(): Promise<void>;
}

async function adminClient(): Promise<Client> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    // Loud on purpose: a suite that needs PostgreSQL never skips silently.
    throw new Error(
      `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${(error as Error).message}). ` +
        'Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      { cause: error },
    );
  }
  return client;
}

/** A fresh, empty database per suite: a PostgreSQL database or a SQLite file in a temp folder. */
export async function scratchDatabase(dialect: Dialect = testDialect()): Promise<ScratchDatabase> {
  if (dialect === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'hub-test-'));
    const file = join(folder, 'hub.sqlite');
    return {
      config: { dialect: 'sqlite', file },
      url: `sqlite:${file}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const admin = await adminClient();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { dialect: 'postgresql', url: url.toString() },
    url: url.toString(),
    drop: async () => {
      const client = await adminClient();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
