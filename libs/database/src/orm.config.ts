import { type Options, ReflectMetadataProvider } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { type DatabaseConfig, requestEntityManager } from '@hub/core';
import { join } from 'node:path';
import { ENTITIES } from './entities';
import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { SqliteDateSnapshots } from './sqlite-date-snapshots';
import { ensurePrivateSqliteFile } from './sqlite-file';

/** Where `db:migration:create` writes new migrations (source, not dist). */
export const migrationsFolder = (dialect: DatabaseConfig['dialect']) =>
  join(process.cwd(), 'libs', 'database', 'src', 'migrations', dialect);

/** One ORM configuration for both dialects; migrations are listed in code so `dist` needs no globbing. */
export function ormOptions(db: DatabaseConfig, overrides: Partial<Options> = {}): Options {
  const common: Options = {
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    forceUtcTimezone: true,
    // Entities are validated by the schema and our inputs; keep the ORM strict about unknown properties.
    strict: true,
    validate: true,
    allowGlobalContext: false,
    // The request's EntityManager is forked when first used, not for every request (libs/core/src/context/request-scope.ts).
    context: requestEntityManager,
    ...overrides,
  };
  if (db.dialect === 'postgresql') {
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      migrations: {
        migrationsList: POSTGRESQL_MIGRATIONS,
        path: migrationsFolder('postgresql'),
        pathTs: migrationsFolder('postgresql'),
        transactional: true,
        allOrNothing: true,
        snapshot: false,
        emit: 'ts',
        silent: true,
      },
      ...overrides,
    } as Options;
  }
  // Every opener (the apps, the CLI) comes through here: the file exists, 0600, before the driver opens it.
  ensurePrivateSqliteFile(db.file);
  return {
    ...common,
    driver: LibSqlDriver,
    dbName: db.file,
    subscribers: [new SqliteDateSnapshots()],
    migrations: {
      migrationsList: SQLITE_MIGRATIONS,
      path: migrationsFolder('sqlite'),
      pathTs: migrationsFolder('sqlite'),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    ...overrides,
  } as Options;
}
