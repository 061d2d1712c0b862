import { type MikroORM } from '@mikro-orm/core';
import { type HubConfig } from '@hub/core';
import { type PasswordHasher } from '@hub/identity';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { demoLoginLines, seedDemoData } from './seeders/demo.seeder';

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().up()).map((m) => m.name);
}

/** Where a generated demo password is kept: as the operator would type it when it is under the working folder. */
export function demoPasswordFile(config: HubConfig): string {
  const file = join(config.dataDir, 'demo-password.txt');
  const relativePath = relative(process.cwd(), file);
  return relativePath.startsWith('..') || isAbsolute(relativePath) ? file : relativePath;
}

/** The demo password: DEMO_PASSWORD, else one generated on first use and kept beside the database. */
export function demoPassword(config: HubConfig): string {
  if (config.demoPassword) return config.demoPassword;
  const file = join(config.dataDir, 'demo-password.txt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const generated = randomBytes(12).toString('base64url');
  writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return generated;
}

export async function seedDemo(
  orm: MikroORM,
  config: HubConfig,
  hasher: PasswordHasher,
): Promise<{ created: boolean; lines: string[] }> {
  const password = demoPassword(config);
  const created = await seedDemoData(orm.em.fork(), await hasher.hash(password));
  return { created, lines: demoLoginLines(config.demoPassword ? 'DEMO_PASSWORD' : demoPasswordFile(config)) };
}

export class PendingMigrationsError extends Error {}

/**
 * Start-up: the embedded default migrates itself; otherwise pending migrations stop the start,
 * because several instances migrating at once would race. Run `npm run db:migrate` first.
 */
export async function prepareDatabase(
  orm: MikroORM,
  config: HubConfig,
  hasher: PasswordHasher,
): Promise<{ migrated: string[]; demo?: string[] }> {
  if (config.database.dialect === 'sqlite') {
    // WAL lets readers go on while one writer commits; the setting lives in the file.
    await orm.em.getConnection().execute('pragma journal_mode = WAL');
  }
  let migrated: string[] = [];
  if (config.migrateOnStart) migrated = await migrate(orm);
  else {
    const pending = await pendingMigrations(orm);
    if (pending.length) {
      throw new PendingMigrationsError(
        `the database needs ${pending.length} migration(s) (${pending.join(', ')}): run "npm run db:migrate" first`,
      );
    }
  }
  if (!config.demoData) return { migrated };
  const { lines } = await seedDemo(orm, config, hasher);
  return { migrated, demo: lines };
}
