import { MikroORM } from '@mikro-orm/core';
import { type DatabaseConfig } from '@hub/core';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  copyFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { ormOptions } from './orm.config';
import { sqliteFiles } from './sqlite-file';

/** An operator's mistake (a file that exists, a database that is not empty): one line, exit 1. */
export class BackupError extends Error {}

/** A backup holds everything the hub knows: readable by its user only, like the database. */
function privateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  if (existsSync(file))
    throw new BackupError(`${file} already exists; choose another name (a backup never overwrites).`);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error)
    throw new BackupError(`${command} is not installed (${result.error.message}); install PostgreSQL's client tools.`);
  if (result.status !== 0) throw new BackupError(`${command} failed: ${result.stderr.trim().split('\n').at(-1)}`);
}

/**
 * A consistent copy of the live database while the hub keeps serving. SQLite: `VACUUM INTO` (one read
 * transaction: a snapshot of committed data, writers go on). PostgreSQL: `pg_dump --format=custom` (one
 * repeatable-read snapshot). Either way the outbox and its per-task-force counters come from the same
 * instant, so cursors continue from the restored state without a gap or a repeat.
 */
export async function backupDatabase(db: DatabaseConfig, file: string): Promise<void> {
  privateFile(file);
  if (db.dialect === 'postgresql') {
    run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${db.url}`]);
  } else {
    const orm = await MikroORM.init(ormOptions(db));
    try {
      await orm.em.getConnection().execute(`vacuum into '${file.replaceAll("'", "''")}'`);
    } finally {
      await orm.close();
    }
  }
  chmodSync(file, 0o600);
}

const SQLITE_HEADER = 'SQLite format 3\0';

function isSqliteFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/**
 * Restores a backup into a fresh database, never over one in use: the SQLite file must not exist yet
 * (or be empty), the PostgreSQL database must have no tables. Triggers (the audit trail's append-only
 * protection) come back with the schema; pg_restore creates them after the data, in one transaction.
 */
export async function restoreDatabase(db: DatabaseConfig, file: string): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist.`);
  if (db.dialect === 'postgresql') {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from information_schema.tables where table_schema = 'public'",
      );
      if (Number(rows[0].n) > 0)
        throw new BackupError(
          'The target database is not empty: restore into a new database (createdb), then point DATABASE_URL at it.',
        );
    } finally {
      await client.end();
    }
    run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${db.url}`,
      file,
    ]);
    return;
  }
  if (!isSqliteFile(file)) throw new BackupError(`${file} is not a SQLite database (was it taken from PostgreSQL?).`);
  if (existsSync(db.file) && statSync(db.file).size > 0)
    throw new BackupError(`${db.file} exists: move it away first (restore never overwrites a database).`);
  mkdirSync(dirname(db.file), { recursive: true });
  const partial = `${db.file}.restoring`;
  copyFileSync(file, partial);
  chmodSync(partial, 0o600);
  // Stale WAL files beside an empty target would be replayed into the restored database.
  for (const stale of sqliteFiles(db.file).slice(1)) rmSync(stale, { force: true });
  renameSync(partial, db.file);
}
