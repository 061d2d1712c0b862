import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/core';
import { ConfigError, loadConfig } from '@hub/core';
import {
  backupDatabase,
  migrate,
  migrationsFolder,
  ormOptions,
  PendingMigrationsError,
  restoreDatabase,
  seedDemo,
  seedHistory,
} from '@hub/database';
import { AuditService } from '@hub/audit';
import { Metrics } from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { PasswordHasher } from '@hub/identity';
import { ReportsService } from '@hub/reports';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { printHubSchema } from '../../api/src/graphql/print-schema';
import { printAsyncApi, type YamlDump } from '../../gateway/src/asyncapi';

/**
 * In a checkout (not in the image, which has no scripts/): the web client's operation types follow the
 * schema just written, so `npm run build` regenerates them before it builds the client.
 */
async function writeWebTypes(): Promise<void> {
  const script = resolve('scripts/codegen.js');
  if (!existsSync(script)) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const codegen = require(script) as { generate(): Promise<string>; OUTPUT: string };
  writeFileSync(codegen.OUTPUT, await codegen.generate());
}

/**
 * Operator commands: `migrate`, `seed`, `backup [file]`, `restore <file>`, `reports:close [quarter]`; for
 * developers `create-migration [name]`, `demo-history [years]` (benchmarks), `schema [file]` (the GraphQL
 * contract in SDL, which the build writes to schema.graphql,
 * and with it the web client's generated operation types) and `asyncapi [file]` (the Socket.IO contract,
 * committed as docs/asyncapi.yaml).
 */
async function main(command: string | undefined, arg: string | undefined): Promise<void> {
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const orm = await MikroORM.init(ormOptions(config.database));
      try {
        const done = await migrate(orm);
        console.log(
          done.length ? `Applied ${done.length} migration(s): ${done.join(', ')}` : 'The database is up to date.',
        );
      } finally {
        await orm.close();
      }
      return;
    }
    case 'seed': {
      const orm = await MikroORM.init(ormOptions(config.database));
      try {
        const { created, lines } = await seedDemo(orm, { ...config, demoData: true }, new PasswordHasher());
        console.log(created ? 'Demo data created.' : 'Demo data was already there; nothing changed.');
        console.log(lines.join('\n'));
      } finally {
        await orm.close();
      }
      return;
    }
    case 'reports:close': {
      // The quarter's snapshots for the national roll-up; without an argument, the last quarter that ended.
      const orm = await MikroORM.init(ormOptions(config.database));
      try {
        const em = orm.em.fork();
        const reports = new ReportsService(em, new AuditService(em), new WriteTransaction(em, new Metrics()));
        const { period, taken } = await reports.closeQuarter(null, arg);
        console.log(taken ? `Closed ${period}: ${taken} task force snapshot(s).` : `${period} was already closed.`);
      } finally {
        await orm.close();
      }
      return;
    }
    case 'demo-history': {
      // For benchmarks: years of generated history in every task force (as the demo's year, denser).
      const years = Number(arg ?? 1);
      const orm = await MikroORM.init(ormOptions(config.database));
      try {
        const { meetings, items } = await seedHistory(orm, years);
        console.log(
          `History of ${years} year(s) written; the task forces now hold ${meetings} meetings, ${items} action items.`,
        );
      } finally {
        await orm.close();
      }
      return;
    }
    case 'backup': {
      const extension = config.database.dialect === 'sqlite' ? 'sqlite' : 'pgdump';
      const file = resolve(
        arg ?? join(config.dataDir, 'backups', `hub-${new Date().toISOString().replace(/[:.]/g, '-')}.${extension}`),
      );
      await backupDatabase(config.database, file);
      console.log(`Backup written to ${file}`);
      return;
    }
    case 'restore': {
      if (!arg) {
        console.error('Usage: cli restore <backup file>  (into the empty database DATABASE_URL names)');
        process.exitCode = 2;
        return;
      }
      await restoreDatabase(config.database, resolve(arg));
      console.log(`Restored ${resolve(arg)}. Start the hub on it; clients continue from their last cursor.`);
      return;
    }
    case 'create-migration':
      await createMigrations(arg);
      return;
    case 'schema': {
      const schema = await printHubSchema();
      if (!arg) {
        process.stdout.write(schema);
        return;
      }
      writeFileSync(resolve(arg), schema);
      await writeWebTypes();
      return;
    }
    case 'asyncapi': {
      // A development command: js-yaml is a dev dependency (untyped), so it is loaded only here.
      const devOnly = 'js-yaml';
      const { dump } = (await import(devOnly)) as { dump: YamlDump };
      const document = printAsyncApi(dump);
      if (arg) writeFileSync(resolve(arg), document);
      else process.stdout.write(document);
      return;
    }
    default:
      console.error(
        'Usage: cli migrate | seed | backup [file] | restore <file> | reports:close [quarter] | create-migration [name] | demo-history [years] | schema [file] | asyncapi [file]',
      );
      process.exitCode = 2;
  }
}

/**
 * Diffs the entities against a scratch database migrated to the latest committed state, for both
 * dialects, and writes the new migrations under libs/database/src/migrations/<dialect>.
 */
async function createMigrations(name?: string): Promise<void> {
  const admin = process.env.MIGRATION_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = `hub_migration_${process.pid}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${scratch}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${scratch}`;
    await diffAndWrite({ dialect: 'postgresql', url: url.toString() }, name);
  } finally {
    await client.query(`drop database if exists ${scratch} with (force)`);
    await client.end();
  }
  await diffAndWrite({ dialect: 'sqlite', file: join(tmpdir(), `${scratch}.sqlite`) }, name);
}

async function diffAndWrite(db: Parameters<typeof ormOptions>[0], name?: string): Promise<void> {
  const orm = await MikroORM.init(ormOptions(db));
  try {
    await orm.getMigrator().up();
    const result = await orm.getMigrator().createMigration(migrationsFolder(db.dialect), false, false, name);
    console.log(result.fileName ? `${db.dialect}: wrote ${result.fileName}` : `${db.dialect}: no changes`);
    if (db.dialect === 'sqlite' && result.code.includes('__temp_alter')) {
      // MikroORM 6 cannot read SQLite enum CHECKs back, so it "rebuilds" unchanged tables; a rebuild
      // also drops the audit trail's append-only triggers. Keep only the rebuilds you meant.
      console.warn(
        'sqlite: the migration rebuilds tables (__temp_alter). Delete the rebuilds of tables you did not change.',
      );
    }
  } finally {
    await orm.close();
  }
  writeMigrationIndex(db.dialect);
}

function writeMigrationIndex(dialect: 'postgresql' | 'sqlite'): void {
  const folder = migrationsFolder(dialect);
  const names = readdirSync(folder)
    .filter((file) => /^Migration\d+.*\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  const constant = dialect === 'postgresql' ? 'POSTGRESQL_MIGRATIONS' : 'SQLITE_MIGRATIONS';
  const lines = [
    '// Generated by `npm run db:migration:create`; listed in code so the compiled app needs no file globbing.',
    ...names.map((n) => `import { ${n.split('_')[0]} } from './${n}';`),
    '',
    `export const ${constant} = [`,
    ...names.map((n) => `  { name: '${n}', class: ${n.split('_')[0]} },`),
    '];',
    '',
  ];
  writeFileSync(join(folder, 'index.ts'), lines.join('\n'));
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else if (error instanceof PendingMigrationsError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
