import { Collector, graphqlWsClients, joinRooms, socketIoClients } from '../lib/clients';
import { LATENCY_EVENTS, nextSeq } from '../lib/fanout';
import { ratio, type ScenarioResult, type Table } from '../lib/report';
import { log, median, percentile, REPEATS, round, sleep } from '../lib/util';
import { distinctMembers } from '../lib/members';
import { addNote, getWorld, startHub } from '../lib/world';

/** Subscribers on each channel (BENCH_SUBSCRIBERS, default 1,000). */
const N = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
/** As scenario 1: p99 over 300 events, not the slowest of 20. */
const EVENTS = LATENCY_EVENTS;

interface Figures {
  lastP50: number;
  lastP99: number;
  deliveryP50: number;
  deliveryP99: number;
}

export async function subscriptions(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const world = await getWorld();
  const tf = world.taskForces[1]; // IAS
  const hub = await startHub('hub', world.env());
  const sio = new Collector();
  const gws = new Collector();
  const runs: { socketIo: Figures; graphqlWs: Figures }[] = [];
  let closeAll = async () => undefined as unknown;
  try {
    const members = await distinctMembers(world, tf, N);
    const t0 = Date.now();
    const sockets = await socketIoClients(
      hub.url,
      members.map((m) => ({ auth: { token: m.token } })),
      sio,
    );
    await joinRooms(sockets, () => ({ taskForceId: tf.id }));
    log(`subscriptions: ${N} sockets joined in ${Date.now() - t0} ms`);
    const t1 = Date.now();
    const clients = await graphqlWsClients(
      hub.url,
      members.map((m) => ({ token: m.token, taskForceId: tf.id })),
      gws,
    );
    log(`subscriptions: ${N} graphql-ws clients subscribed in ${Date.now() - t1} ms`);
    closeAll = async () => {
      await sockets.close();
      await clients.close();
    };
    // Warm-up, which also makes sure every subscription is attached before timing starts.
    for (let i = 0; i < 3; i++) {
      const seq = nextSeq();
      await addNote(hub.url, tf, seq);
      await Promise.all([sio.until(seq, N, 30_000), gws.until(seq, N, 30_000)]);
    }
    for (let rep = 0; rep < REPEATS; rep++) {
      const per = {
        s: { last: [] as number[], all: [] as number[] },
        g: { last: [] as number[], all: [] as number[] },
      };
      for (let i = 0; i < EVENTS; i++) {
        const seq = nextSeq();
        await addNote(hub.url, tf, seq);
        await Promise.all([sio.until(seq, N), gws.until(seq, N)]);
        for (const [c, into] of [
          [sio, per.s],
          [gws, per.g],
        ] as const) {
          const ev = c.events.get(seq)!;
          into.last.push(ev.last - ev.at);
          into.all.push(...ev.latencies);
          c.events.delete(seq);
        }
        await sleep(5);
      }
      const fig = (x: { last: number[]; all: number[] }): Figures => ({
        lastP50: percentile(x.last, 50),
        lastP99: percentile(x.last, 99),
        deliveryP50: percentile(x.all, 50),
        deliveryP99: percentile(x.all, 99),
      });
      runs.push({ socketIo: fig(per.s), graphqlWs: fig(per.g) });
      log(
        `subscriptions run ${rep + 1}: Socket.IO last p99 ${runs.at(-1)!.socketIo.lastP99} ms, graphql-ws last p99 ${runs.at(-1)!.graphqlWs.lastP99} ms`,
      );
    }
  } finally {
    await closeAll();
    await hub.stop();
  }
  const m = (ch: 'socketIo' | 'graphqlWs', k: keyof Figures) => round(median(runs.map((r) => r[ch][k])), 1);
  const table: Table = {
    title: `The same events to ${N} Socket.IO room members and ${N} graphql-ws subscribers of one task force, at the same time`,
    columns: ['channel', 'last-recipient p50 ms', 'last-recipient p99 ms', 'delivery p50 ms', 'delivery p99 ms'],
    rows: [
      [
        'Socket.IO room',
        m('socketIo', 'lastP50'),
        m('socketIo', 'lastP99'),
        m('socketIo', 'deliveryP50'),
        m('socketIo', 'deliveryP99'),
      ],
      [
        'graphql-ws taskForceEvents',
        m('graphqlWs', 'lastP50'),
        m('graphqlWs', 'lastP99'),
        m('graphqlWs', 'deliveryP50'),
        m('graphqlWs', 'deliveryP99'),
      ],
      [
        'graphql-ws ÷ Socket.IO',
        ratio(m('graphqlWs', 'lastP50'), m('socketIo', 'lastP50')),
        ratio(m('graphqlWs', 'lastP99'), m('socketIo', 'lastP99')),
        ratio(m('graphqlWs', 'deliveryP50'), m('socketIo', 'deliveryP50')),
        ratio(m('graphqlWs', 'deliveryP99'), m('socketIo', 'deliveryP99')),
      ],
    ],
  };
  return {
    id: 'subscriptions',
    title: '4. Subscriptions: graphql-ws against Socket.IO',
    tables: [table],
    targets: [
      {
        target: 'p99 delivery for each (report)',
        measured: `Socket.IO ${m('socketIo', 'deliveryP99')} ms, graphql-ws ${m('graphqlWs', 'deliveryP99')} ms`,
        met: null,
      },
    ],
    notes: [
      `One hub process; ${N} sockets joined to the task force's room and ${N} graphql-ws clients (one WebSocket each) subscribed to \`taskForceEvents\`, all connected at once, one distinct member per Socket.IO socket (seeded, as in scenario 1), the same members again for the graphql-ws clients. Each minute-note mutation reaches all ${2 * N}; timers as in scenario 1 (from the envelope's \`at\` to receipt), ${EVENTS} events per run, one at a time.`,
      "Socket.IO redacts and encodes once per audience room and writes the same bytes to every socket; graphql-ws runs the subscription's resolver and serialises the result per subscriber, and re-checks authorization per event: its cost grows with subscribers, not audiences.",
      'Bound by: the client process parses 2,000 messages per event on the same 2 cores as the hub.',
    ],
    raw: runs,
  };
}
