import { Client } from 'pg';
import { Collector, joinRooms, socketIoClients } from '../lib/clients';
import { delta, idleWindow, startPgProxy } from '../lib/pgproxy';
import { type ScenarioResult, type Table } from '../lib/report';
import { log, median, QUICK, REPEATS, round, sleep } from '../lib/util';
import { getWorld, startHub } from '../lib/world';

const TOTAL = 10_000;
const SIZES = QUICK ? [1_000, 10_000] : [1_000, 5_000, 10_000];

interface Sample {
  events: number;
  ms: number;
  received: number;
  inOrder: boolean;
  statements: number;
  roundTrips: number;
  baselineMs: number;
  byText: Record<string, number>;
}

export async function catchup(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const world = await getWorld();
  const tf = world.taskForces[3]; // TIM: the fan-out scenarios use the others more
  const pg = new Client({ connectionString: world.dbUrl });
  await pg.connect();
  const proxy = await startPgProxy();
  const hub = await startHub('hub', world.env({ DATABASE_URL: proxy.url(world.dbName) }));
  const samples: Sample[] = [];
  try {
    // 10,000 missed events, written straight into the outbox as the relay leaves them (published).
    const { rows } = await pg.query('select last_cursor from event_cursor where task_force_id = $1', [tf.id]);
    const base = rows.length ? Number(rows[0].last_cursor) : 0;
    const member = (await pg.query('select id from member where email = $1', [tf.seats[0].email])).rows[0].id;
    await pg.query(
      `insert into domain_event (task_force_id, cursor, type, actor_id, meeting_id, at, data, published_at)
       select $1::uuid, $2::int + g, 'meeting.noteAdded', $3::uuid, $4::uuid, now(), json_build_object('meetingId', $4::text, 'agendaItemId', $5::text, 'noteId', gen_random_uuid(), 'authorId', $3::text, 'text', 'Bench note bench-' || (2000000 + g)), now()
       from generate_series(1, $6::int) g`,
      [tf.id, base, member, tf.heldMeetingId, tf.agendaItemId, TOTAL],
    );
    await pg.query(
      'insert into event_cursor (task_force_id, last_cursor) values ($1, $2) on conflict (task_force_id) do update set last_cursor = $2',
      [tf.id, base + TOTAL],
    );
    const last = base + TOTAL;
    log(`catchup: ${TOTAL} events written after cursor ${base}`);
    // The hub's timers, measured with no client, are taken off each window's count (lib/pgproxy.ts).
    const idle = await idleWindow(proxy, 5_000);

    for (let rep = 0; rep < REPEATS; rep++) {
      for (const n of SIZES) {
        const collector = new Collector();
        const cursors: number[] = [];
        const [socket] = await socketIoClients(hub.url, [{ auth: { token: tf.seats[2].token } }], null);
        socket.onAny((type: string, envelope: { cursor?: number; taskForceId?: string }) => {
          if (type === 'notification.created') return; // the inbox's own stream, not the task force's
          if (envelope?.taskForceId === tf.id && typeof envelope.cursor === 'number') cursors.push(envelope.cursor);
        });
        await sleep(200);
        const before = await proxy.snapshot();
        const t0 = performance.now();
        const [cursor] = await joinRooms([socket], () => ({ taskForceId: tf.id, after: last - n }));
        const ms = performance.now() - t0;
        const sql = delta(before, await proxy.snapshot(), idle);
        socket.disconnect();
        void collector;
        const inOrder = cursors.length === n && cursors.every((c, i) => c === last - n + 1 + i) && cursor === last;
        // Baseline: the same rows with one hand-written query, straight from PostgreSQL.
        const b0 = performance.now();
        await pg.query(
          'select id, task_force_id, cursor, type, actor_id, meeting_id, at, data from domain_event where task_force_id = $1 and cursor > $2 and cursor <= $3 order by cursor',
          [tf.id, last - n, last],
        );
        const baselineMs = performance.now() - b0;
        samples.push({
          events: n,
          ms,
          received: cursors.length,
          inOrder,
          statements: round(sql.foreground, 1),
          roundTrips: sql.roundTrips,
          baselineMs,
          byText: sql.byText,
        });
        log(
          `catchup ${n} run ${rep + 1}: ${Math.round(ms)} ms, ${cursors.length} events${inOrder ? ' in order' : ' NOT IN ORDER/INCOMPLETE'}, ${round(sql.foreground, 1)} SQL statements; one query alone ${Math.round(baselineMs)} ms`,
        );
      }
    }
  } finally {
    await hub.stop();
    proxy.stop();
    await pg.end();
  }
  const m = (n: number, key: 'ms' | 'statements' | 'roundTrips' | 'baselineMs') =>
    round(median(samples.filter((s) => s.events === n).map((s) => s[key])), 1);
  const table: Table = {
    title: 'Catch-up over Socket.IO: room.join with `after`, every missed event replayed before the acknowledgement',
    columns: [
      'missed events',
      'time ms',
      'µs per event',
      'SQL statements',
      'round trips',
      'one hand-written query ms',
      'hub ÷ query',
    ],
    rows: SIZES.map((n) => [
      n,
      m(n, 'ms'),
      round((m(n, 'ms') * 1000) / n, 0),
      m(n, 'statements'),
      m(n, 'roundTrips'),
      m(n, 'baselineMs'),
      round(m(n, 'ms') / m(n, 'baselineMs'), 1),
    ]),
  };
  const perEvent = SIZES.map((n) => m(n, 'ms') / n);
  // Linear (or better): the time per event at the largest size is not above the smallest size's.
  const linear = perEvent.at(-1)! / perEvent[0];
  const largest = SIZES.at(-1)!;
  return {
    id: 'catchup',
    title: '6. Catch-up',
    tables: [table],
    targets: [
      {
        target: 'linear in events (time per event not growing with the backlog)',
        measured: `${perEvent.map((x) => round(x * 1000, 0)).join(' / ')} µs per event (largest ÷ smallest ${round(linear, 2)})`,
        met: linear <= 1.25,
      },
      // Marginal statements per extra page of 1,000 events (the fixed part — session, cursor, retention check, audit — cancels out).
      {
        target: 'one database round trip per page (1,000 events)',
        measured: `${m(largest, 'statements')} statements for ${largest} events, ${m(SIZES[0], 'statements')} for ${SIZES[0]}: ${round((m(largest, 'statements') - m(SIZES[0], 'statements')) / ((largest - SIZES[0]) / 1000), 2)} per extra page`,
        met: (m(largest, 'statements') - m(SIZES[0], 'statements')) / ((largest - SIZES[0]) / 1000) <= 1.25,
      },
      {
        target: 'every event, in order, no gap',
        measured: samples.every((s) => s.inOrder) ? 'yes, in every run' : 'NO',
        met: samples.every((s) => s.inOrder),
      },
    ],
    notes: [
      `${TOTAL.toLocaleString('en')} \`meeting.noteAdded\` events are written straight into the outbox (published) of one task force; then a fresh socket (a police member) sends \`room.join { taskForceId, after }\` for the last 1,000 … 10,000 of them. Timer: from sending room.join to receiving its acknowledgement — the server replays every missed event before acknowledging, so all of them have arrived by then (checked: complete, in cursor order).`,
      "SQL statements: everything the hub ran against PostgreSQL between sending room.join and the acknowledgement, through the counting proxy (the relay's SELECT after the join's audit commit included), minus what its timers run in a window that long (measured idle for 5 s first: outbox sweep, stream poll). The fixed part is the session check (2), the stream's current cursor, the oldest kept cursor (retention check); then one statement per page of 1,000 events, plus one more when the count is a whole number of pages (the page that comes back short), and the audit record of the join.",
      'Baseline: the same rows read with one hand-written query by node-postgres in the bench process: the database floor, without sending anything anywhere.',
    ],
    raw: samples,
  };
}
