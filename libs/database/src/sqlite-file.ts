import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** The database file and the two files SQLite keeps beside it in WAL mode. */
export const sqliteFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`];

/**
 * The embedded database holds case data: readable by the hub's user only. Created 0600 before the driver
 * opens it (SQLite gives the WAL and shared-memory files the database file's mode), and a file an earlier
 * version left world-readable is narrowed at start.
 */
export function ensurePrivateSqliteFile(file: string): void {
  if (file === ':memory:') return;
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const path of sqliteFiles(file)) if (existsSync(path)) chmodSync(path, 0o600);
}
