import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from '@hub/database';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { range } from '../factories/live.factory';
import { waitUntil } from '../utils/wait';
import { type Dialect, scratchDatabase, type ScratchDatabase } from '../utils/database';
import { GraphQLClient } from '../utils/graphql-client';
import { run, start } from '../utils/process';
import { connectSocket } from '../utils/socket-client';

const PASSWORD = 'backup-suite-password-1';
const SECRET = 'backup-suite-secret-backup-suite-secret-0123';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
const SCHEDULE = 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }';

/** Direct SQL on a database, as an operator's psql or sqlite3 would. */
async function withOrm<T>(db: ScratchDatabase, work: (execute: (sql: string) => Promise<any[]>) => Promise<T>) {
  const orm = await MikroORM.init(ormOptions(db.config));
  try {
    return await work((sql) => orm.em.getConnection().execute(sql));
  } finally {
    await orm.close();
  }
}

describe.each<Dialect>(['sqlite', 'postgres'])('backup and restore on %s', (dialect) => {
  let original: ScratchDatabase;
  let restored: ScratchDatabase;
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-backup-'));
  const backupFile = join(dataDir, 'backups', `hub.${dialect === 'sqlite' ? 'sqlite' : 'pgdump'}`);
  const envOf = (db: ScratchDatabase) => ({
    DATABASE_URL: db.url,
    NODE_ENV: 'production',
    JWT_SECRET: SECRET,
    DATA_DIR: dataDir,
    METRICS_TOKEN: 'backup-suite-metrics-token',
  });

  beforeAll(async () => {
    original = await scratchDatabase(dialect);
    restored = await scratchDatabase(dialect);
    expect((await run('cli', ['migrate'], envOf(original))).code).toBe(0);
    expect((await run('cli', ['seed'], { ...envOf(original), DEMO_PASSWORD: PASSWORD })).code).toBe(0);
  });
  afterAll(async () => {
    await original?.drop();
    await restored?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('backs up under write load, restores into a fresh database, and the hub goes on from there: audit trail protected, cursors without gap or repeat', async () => {
    const hub = await start('hub', envOf(original));
    const gql = new GraphQLClient(`${hub.url}/graphql`);
    const token = (await gql.data(LOGIN, { e: 'diicot.buc@demo.local', p: PASSWORD })).login.accessToken as string;
    const { taskForces } = await gql.data('{ taskForces { id code } }', {}, { token });
    const taskForceId = taskForces.find((t: { code: string }) => t.code === 'BUC').id as string;
    const schedule = (client: GraphQLClient, n: number) =>
      client.data(
        SCHEDULE,
        {
          input: {
            taskForceId,
            title: `Coordination ${n}`,
            startsAt: new Date(Date.now() + 86_400_000).toISOString(),
            endsAt: new Date(Date.now() + 90_000_000).toISOString(),
          },
        },
        { token },
      );

    // Two writers keep changing data while the backup runs, and for a while after it.
    let stop = false;
    let written = 0;
    const writer = async () => {
      while (!stop) await schedule(gql, written++);
    };
    const writers = [writer(), writer()];
    let backup: Awaited<ReturnType<typeof run>>;
    try {
      await waitUntil(() => written >= 10, 'writes before the backup');
      backup = await run('cli', ['backup', backupFile], envOf(original));
      const atBackup = written;
      await waitUntil(() => written >= atBackup + 10, 'writes after the backup');
    } finally {
      stop = true;
      await Promise.all(writers);
      expect(await hub.stop()).toEqual({ code: 0, signal: null });
    }
    expect(backup).toMatchObject({ code: 0, stdout: expect.stringContaining(`Backup written to ${backupFile}`) });
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);

    // A backup never lands on a database in use, and never overwrites a file.
    expect((await run('cli', ['restore', backupFile], envOf(original))).code).toBe(1);
    expect((await run('cli', ['backup', backupFile], envOf(original))).stderr).toContain('already exists');

    const restore = await run('cli', ['restore', backupFile], envOf(restored));
    expect(restore).toMatchObject({ code: 0, stdout: expect.stringContaining('Restored') });

    // The restored outbox is the original's up to one instant: every cursor 1..B, its counter at B.
    const cursorsOf = (db: ScratchDatabase) =>
      withOrm(db, async (sql) =>
        (await sql(`select cursor from domain_event where task_force_id = '${taskForceId}' order by cursor`)).map(
          (row: { cursor: number | string }) => Number(row.cursor),
        ),
      );
    const before = await cursorsOf(original);
    const after = await cursorsOf(restored);
    const last = after.at(-1)!;
    expect(after).toEqual(range(1, last));
    expect(before.length).toBeGreaterThan(after.length); // writes went on after the snapshot
    expect(before.slice(0, after.length)).toEqual(after);
    await withOrm(restored, async (sql) => {
      const [counter] = await sql(`select last_cursor from event_cursor where task_force_id = '${taskForceId}'`);
      expect(Number(counter.last_cursor)).toBe(last);

      // The audit trail came back whole up to the snapshot, and still refuses changes.
      const ids = (await sql('select id from audit_record order by id')).map((row: { id: number | string }) =>
        Number(row.id),
      );
      expect(ids.length).toBeGreaterThan(0);
      const originalIds = await withOrm(original, async (sqlOriginal) =>
        (await sqlOriginal('select id from audit_record order by id')).map((row: { id: number | string }) =>
          Number(row.id),
        ),
      );
      expect(originalIds.slice(0, ids.length)).toEqual(ids);
      await expect(sql("update audit_record set action = 'rewritten'")).rejects.toThrow(/append-only/);
      await expect(sql('delete from audit_record')).rejects.toThrow(/append-only/);
    });

    // The hub on the restored database: a client that had seen up to B-2 gets B-1 and B, then the next change as B+1.
    const again = await start('hub', envOf(restored));
    try {
      const client = new GraphQLClient(`${again.url}/graphql`);
      const fresh = (await client.data(LOGIN, { e: 'diicot.buc@demo.local', p: PASSWORD })).login.accessToken as string;
      const socket = await connectSocket(again.url, fresh);
      const seen: number[] = [];
      socket.onAny((event, payload: { taskForceId?: string; cursor?: number }) => {
        // Inbox notices (numbered by inbox position) are another stream than the task force's.
        if (event === 'notification.created') return;
        if (payload?.taskForceId === taskForceId && typeof payload.cursor === 'number') seen.push(payload.cursor);
      });
      expect(await socket.timeout(5_000).emitWithAck('room.join', { taskForceId, after: last - 2 })).toEqual({
        ok: true,
        cursor: last,
      });
      await client.data(
        SCHEDULE,
        {
          input: {
            taskForceId,
            title: 'After the restore',
            startsAt: new Date(Date.now() + 86_400_000).toISOString(),
            endsAt: new Date(Date.now() + 90_000_000).toISOString(),
          },
        },
        { token: fresh },
      );
      await waitUntil(() => seen.includes(last + 1), 'the first event after the restore');
      expect(seen).toEqual([last - 1, last, last + 1]);
      socket.close();
    } finally {
      expect(await again.stop()).toEqual({ code: 0, signal: null });
    }
  });
});
