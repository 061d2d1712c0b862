import {
  Deployment,
  everyoneReaches,
  range,
  SocketWatcher,
  stats,
  SubscriptionWatcher,
  summary,
  Writer,
} from './faults-support';
import { sleep, waitUntil } from '../utils/wait';

/**
 * Redis stopped for 30 seconds while mutations go on: two api and two gateway processes share a
 * scratch PostgreSQL database and this suite's own Redis. Two writers keep scheduling meetings through
 * both apis the whole time; sockets on both gateways and a graphql-ws subscriber on api 2 listen. While
 * Redis is away, mutations still succeed (the events wait in the outbox) and the streams' database
 * poll keeps delivering; once Redis is back, every client's stream is complete, in order, each event once.
 */

const OUTAGE_MS = 30_000;

describe('faults: Redis down for 30 seconds while mutations continue', () => {
  let d: Deployment | undefined;
  let taskForceId: string;
  let coordinator: string;
  let base: number;
  let socket1: SocketWatcher;
  let socket2: SocketWatcher;
  let subscriber: SubscriptionWatcher;
  const writers: Writer[] = [];

  const withLogs = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      console.log(`faults-redis failed; output follows\n${d?.output()}`);
      throw error;
    }
  };

  async function redisStats(): Promise<{ publishCalls: number }> {
    const info = await d!.redis!.info('commandstats');
    return { publishCalls: Number(/calls=(\d+)/.exec(info.cmdstat_publish ?? '')?.[1] ?? 0) };
  }

  const watchers = () => [
    { name: socket1.name, cursors: () => socket1.cursors() },
    { name: socket2.name, cursors: () => socket2.cursors() },
    { name: subscriber.name, cursors: () => subscriber.cursors() },
  ];

  beforeAll(async () => {
    const t0 = Date.now();
    d = await Deployment.create({ apps: ['api', 'api', 'gateway', 'gateway'], redis: true });
    coordinator = await d.signIn('anitp.buc@demo.local');
    taskForceId = await d.taskForceId('BUC', coordinator);
    const [police, court, ngo] = await Promise.all(
      ['police.buc@demo.local', 'court.buc@demo.local', 'ngo.buc@demo.local'].map((e) => d!.signIn(e, 'api2')),
    );
    socket1 = new SocketWatcher('socket (police) on gateway 1', police, taskForceId);
    socket2 = new SocketWatcher('socket (court) on gateway 2', court, taskForceId);
    subscriber = new SubscriptionWatcher('graphql-ws (ngo) on api 2', ngo, taskForceId);
    base = await socket1.join(d.url('gateway1'));
    expect(await socket2.join(d.url('gateway2'), base)).toBe(base);
    subscriber.attach(d.url('api2'), base);
    console.log(`faults-redis setup: redis ${d.redis!.url}, 2 api + 2 gateway; ${Date.now() - t0} ms`);
  });

  afterAll(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    socket1?.close();
    socket2?.close();
    await subscriber?.close().catch(() => undefined);
    await d?.dispose();
  });

  it(
    'every connected client ends with a complete, in-order, exactly-once stream',
    withLogs(async () => {
      const apis = () => [
        { name: 'api1', url: d!.url('api1') },
        { name: 'api2', url: d!.url('api2') },
      ];
      // Two writers, one per api (the second list starts at api 2), a mutation every ~150 ms each.
      const w1 = new Writer('redis-outage writer 1', apis, coordinator, taskForceId, 150);
      const w2 = new Writer('redis-outage writer 2', () => apis().reverse(), coordinator, taskForceId, 150);
      writers.push(w1.start(), w2.start());
      await waitUntil(
        () => socket1.seen.length >= 6 && socket2.seen.length >= 6 && subscriber.seen.length >= 6,
        'every watcher to see 6 events',
        {
          timeoutMs: 15_000,
          state: () =>
            watchers()
              .map((w) => `${w.name}: ${summary(w.cursors())}`)
              .join('; '),
        },
      );

      const beforeOutage = await d!.lastCursor(taskForceId);
      const downAt = Date.now();
      await d!.redis!.stop();
      const readyDuring: Record<string, unknown> = {};
      for (const name of ['api1', 'api2', 'gateway1', 'gateway2']) readyDuring[name] = await d!.readyStatus(name);
      let backlogPeak = 0;
      // Watch the outage: how far behind the clients fall while only the database poll delivers.
      const lags: number[] = [];
      while (Date.now() - downAt < OUTAGE_MS) {
        await sleep(1_000);
        backlogPeak = Math.max(backlogPeak, await d!.outboxBacklog());
        const last = await d!.lastCursor(taskForceId);
        lags.push(last - Math.min(socket1.last() ?? 0, socket2.last() ?? 0, subscriber.last() ?? 0));
      }
      const lastDuringOutage = await d!.lastCursor(taskForceId);
      const pollDelivered = Math.min(
        ...watchers().map((w) => w.cursors().filter((c) => c > beforeOutage && c <= lastDuringOutage).length),
      );
      const outageOutcomes = [...w1.outcomes, ...w2.outcomes].filter((o) => o.sentAt >= downAt);

      const upAt = Date.now();
      await d!.redis!.start();
      // Mutations go on a few seconds after Redis is back, then stop.
      await sleep(4_000);
      await Promise.all([w1.stop(), w2.stop()]);
      const end = await d!.lastCursor(taskForceId);
      const caughtUp = await everyoneReaches(end, 20_000, watchers());
      let backlog = await d!.outboxBacklog();
      await waitUntil(async () => (backlog = await d!.outboxBacklog()) === 0, 'the outbox to drain', {
        timeoutMs: 15_000,
        everyMs: 200,
        state: () => `outbox backlog ${backlog}`,
      });
      const published = await redisStats();
      const readyAfter: Record<string, unknown> = {};
      await waitUntil(
        async () => {
          for (const name of ['api1', 'api2', 'gateway1', 'gateway2']) readyAfter[name] = await d!.readyStatus(name);
          return Object.values(readyAfter).every((s) => s === 200);
        },
        'every process to be ready again',
        { timeoutMs: 15_000, everyMs: 250, state: () => `readiness after the outage: ${JSON.stringify(readyAfter)}` },
      );

      const all = [...w1.outcomes, ...w2.outcomes];
      const failed = all.filter((o) => !o.ok);
      const gapsDuring = (w: SocketWatcher | SubscriptionWatcher) => {
        // Largest time between two consecutive events during the outage: the poll's rhythm.
        const at = w.seen.filter((e) => e.at >= downAt && e.at <= upAt).map((e) => e.at);
        return at.length > 1 ? Math.max(...at.slice(1).map((t, i) => t - at[i])) : NaN;
      };
      console.log(
        `faults-redis: Redis down ${upAt - downAt} ms; ${outageOutcomes.length} mutations during the outage ` +
          `(${outageOutcomes.filter((o) => o.ok).length} ok), answered in ${stats(outageOutcomes.map((o) => o.doneAt - o.sentAt))}; ` +
          `${all.length} mutations in all, ${failed.length} failed; outbox backlog peaked at ${backlogPeak}; ` +
          `events delivered during the outage by the database poll: at least ${pollDelivered} of ${lastDuringOutage - beforeOutage} per client, ` +
          `clients at most ${Math.max(...lags)} events behind (sampled each second), longest silence between events ${watchers()
            .map((w, i) => `${w.name.split(' ')[0]}${i} ${gapsDuring([socket1, socket2, subscriber][i])} ms`)
            .join(', ')}; ` +
          `/health/ready during ${JSON.stringify(readyDuring)}; ` +
          `after Redis came back: every client had all ${end - base} events ${caughtUp} ms after the writers stopped (4 s after Redis was back), ` +
          `outbox empty, ${published.publishCalls} PUBLISH calls on the restarted Redis`,
      );

      expect(failed.map((o) => ({ title: o.title, error: o.error, transport: o.transport }))).toEqual([]);
      expect(outageOutcomes.length).toBeGreaterThan(50); // mutations really continued through the whole outage
      // Still ready without Redis (reported as degraded): the hub works on, through the outbox and the database poll.
      expect(Object.values(readyDuring)).toEqual([200, 200, 200, 200]);
      expect(published.publishCalls).toBeGreaterThan(0); // the live path is back, not only the poll
      expect(await d!.eventCursors(taskForceId)).toEqual(range(0, end));
      expect(end - base).toBe(all.length);
      for (const w of watchers())
        expect({ who: w.name, cursors: w.cursors() }).toEqual({ who: w.name, cursors: range(base, end) });
      expect(socket1.disconnects).toEqual([]);
      expect(socket2.disconnects).toEqual([]);
      expect(subscriber.closes).toEqual([]);
      expect(subscriber.endings).toEqual([]);
    }),
    100_000,
  );
});
