/**
 * The baselines' outbox, shaped like the hub's (libs/events: event-recorder.ts and outbox-relay.ts) so a
 * baseline pays the same PostgreSQL round trips per event: in one transaction, bump the room's cursor
 * row (upsert + UPDATE … RETURNING, which also serialises writers of one room), stamp `at`, INSERT the
 * event row, COMMIT; then, as the relay, SELECT the unpublished rows, hand them to `publish`, and UPDATE
 * them published. Its own two tables in the bench's scratch database, so the hub's relay never sees them.
 * What the hub does on top is disclosed in the bench README (its note row, the GraphQL request).
 */
import { Pool } from 'pg';

export interface OutboxRow {
  id: string;
  room: string;
  cursor: number;
  at: Date;
  data: Record<string, unknown>;
}

export class BaselineOutbox {
  private readonly pool: Pool;
  private relaying: Promise<void> | null = null;
  private again = false;

  constructor(
    url: string,
    private readonly publish: (row: OutboxRow) => void,
  ) {
    this.pool = new Pool({ connectionString: url, max: 10 });
  }

  async init(): Promise<void> {
    await this.pool.query(`create table if not exists bench_cursor (room text primary key, last_cursor int not null)`);
    await this.pool.query(
      `create table if not exists bench_event (id bigserial primary key, room text not null, cursor int not null,
         at timestamptz not null, data jsonb not null, published_at timestamptz)`,
    );
    await this.pool.query('create index if not exists bench_event_published_at_id on bench_event (published_at, id)');
  }

  /** Records one event (`data(cursor, at)`) and wakes the relay after the commit, as the hub's commit hook does. */
  async record(room: string, data: (cursor: number, at: Date) => Record<string, unknown>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('insert into bench_cursor (room, last_cursor) values ($1, 0) on conflict (room) do nothing', [
        room,
      ]);
      const { rows } = await client.query<{ last_cursor: number }>(
        'update bench_cursor set last_cursor = last_cursor + 1 where room = $1 returning last_cursor',
        [room],
      );
      const cursor = Number(rows[0].last_cursor);
      const at = new Date();
      await client.query('insert into bench_event (room, cursor, at, data) values ($1, $2, $3, $4)', [
        room,
        cursor,
        at,
        JSON.stringify(data(cursor, at)),
      ]);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    this.kick();
  }

  /** One relay round at a time; kicks during a round fold into one more round (as the hub's relay). */
  private kick(): void {
    if (this.relaying) {
      this.again = true;
      return;
    }
    this.relaying = (async () => {
      do {
        this.again = false;
        const { rows } = await this.pool.query<OutboxRow>(
          'select id, room, cursor, at, data from bench_event where published_at is null order by id limit 500',
        );
        if (!rows.length) continue;
        for (const row of rows) this.publish(row);
        await this.pool.query('update bench_event set published_at = now() where id = any($1)', [
          rows.map((r) => r.id),
        ]);
      } while (this.again);
    })()
      .catch((error) => console.error(`baseline relay: ${(error as Error).message}`))
      .finally(() => (this.relaying = null));
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
