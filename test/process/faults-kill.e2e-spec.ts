import {
  Deployment,
  everyoneReaches,
  type Outcome,
  range,
  SocketWatcher,
  stats,
  SubscriptionWatcher,
  summary,
  Writer,
} from './faults-support';
import { sleep, waitUntil } from '../utils/wait';

/**
 * An instance killed with SIGKILL in the middle of steady traffic: two api and two gateway processes
 * on a scratch database and this suite's own Redis, two writers scheduling meetings through both apis.
 * First a gateway with two sockets of different agencies dies, then an api with a graphql-ws subscriber
 * and a writer on it. Clients move to the surviving instance with their last cursor and end with every
 * event exactly once, in order; events the killed api committed but never published still go out.
 */

describe('faults: an instance killed with SIGKILL in mid-traffic', () => {
  let d: Deployment | undefined;
  let taskForceId: string;
  let coordinator: string;
  let base: number;
  let tokens: Record<string, string>;
  /** On gateway 2 until it dies, then on gateway 1. */
  let police: SocketWatcher;
  let ngo: SocketWatcher;
  /** On gateway 1 throughout: a witness. */
  let court: SocketWatcher;
  /** graphql-ws on api 2 until it dies, then on api 1. */
  let subscriber: SubscriptionWatcher;
  /** graphql-ws on api 1 throughout. */
  let witness: SubscriptionWatcher;
  const writers: Writer[] = [];

  const withLogs = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      console.log(`faults-kill failed; output follows\n${d?.output()}`);
      throw error;
    }
  };

  const watchers = () =>
    [police, ngo, court, subscriber, witness].map((w) => ({ name: w.name, cursors: () => w.cursors() }));
  /** The instances still running, in a stable order: what a load balancer would offer. */
  const live = (kind: 'api' | 'gateway') =>
    [1, 2]
      .map((n) => `${kind}${n}`)
      .filter((name) => d!.alive(name))
      .map((name) => ({ name, url: d!.url(name) }));

  beforeAll(async () => {
    const t0 = Date.now();
    d = await Deployment.create({ apps: ['api', 'api', 'gateway', 'gateway'], redis: true });
    coordinator = await d.signIn('anitp.buc@demo.local');
    taskForceId = await d.taskForceId('BUC', coordinator);
    const emails = ['police.buc', 'ngo.buc', 'court.buc', 'prosecutor.buc', 'labour.buc'];
    const signed = await Promise.all(emails.map((e) => d!.signIn(`${e}@demo.local`, 'api2')));
    tokens = Object.fromEntries(emails.map((e, i) => [e, signed[i]]));
    police = new SocketWatcher('socket police (gateway 2 → 1)', tokens['police.buc'], taskForceId);
    ngo = new SocketWatcher('socket ngo (gateway 2 → 1)', tokens['ngo.buc'], taskForceId);
    court = new SocketWatcher('socket court (gateway 1)', tokens['court.buc'], taskForceId);
    subscriber = new SubscriptionWatcher('graphql-ws prosecutor (api 2 → 1)', tokens['prosecutor.buc'], taskForceId);
    witness = new SubscriptionWatcher('graphql-ws labour (api 1)', tokens['labour.buc'], taskForceId);
    base = await court.join(d.url('gateway1'));
    await police.join(d.url('gateway2'), base);
    await ngo.join(d.url('gateway2'), base);
    subscriber.attach(d.url('api2'), base);
    witness.attach(d.url('api1'), base);
    // Steady traffic for the whole suite: one writer starting on each api; a writer whose api dies moves on.
    writers.push(
      new Writer('kill writer 1', () => live('api'), coordinator, taskForceId, 60).start(),
      new Writer('kill writer 2', () => live('api').reverse(), coordinator, taskForceId, 60).start(),
    );
    await waitUntil(() => watchers().every((w) => w.cursors().length >= 5), 'every watcher to see 5 events', {
      timeoutMs: 20_000,
      state: () =>
        watchers()
          .map((w) => `${w.name}: ${summary(w.cursors())}`)
          .join('; '),
    });
    console.log(`faults-kill setup: 2 api + 2 gateway, steady writers; ${Date.now() - t0} ms`);
  });

  afterAll(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    for (const s of [police, ngo, court]) s?.close();
    await Promise.all([subscriber, witness].map((s) => s?.close().catch(() => undefined)));
    await d?.dispose();
  });

  it(
    'a gateway with two sockets on it is killed: they reconnect to the other gateway with their last cursor and miss nothing',
    withLogs(async () => {
      const movers = [police, ngo];
      const gone = movers.map((s) => new Promise<void>((resolve) => s.socket!.once('disconnect', () => resolve())));
      const killedAt = Date.now();
      await d!.kill('gateway2');
      await Promise.all(gone);
      const noticedIn = Date.now() - killedAt;
      const lastSeen = movers.map((s) => s.last()!);
      // Traffic goes on while they are away; then each reconnects to the survivor after its own last cursor.
      await sleep(700);
      for (const s of movers) await s.moveTo(d!.url('gateway1'), base);
      const moved = movers.map((s) => s.joins.at(-1)!);
      await sleep(1_500); // and live traffic on the new gateway

      const stable = await d!.lastCursor(taskForceId);
      const caughtUp = await everyoneReaches(stable, 15_000, watchers());
      console.log(
        `faults-kill gateway: sockets noticed the SIGKILL in ${noticedIn} ms (${movers.map((s) => s.disconnects.at(-1)?.reason).join(', ')}); ` +
          `last cursors seen ${lastSeen.join(', ')}; rejoined gateway 1 in ${moved.map((m) => `${m.tookMs} ms (replayed ${m.replayed}, acknowledged at ${m.cursor})`).join(', ')}; ` +
          `everyone at ${stable} within ${caughtUp} ms`,
      );
      for (let i = 0; i < movers.length; i++) expect(moved[i].cursor).toBeGreaterThan(lastSeen[i]); // they really missed events
      for (const w of watchers())
        expect({ who: w.name, cursors: w.cursors().filter((c) => c <= stable) }).toEqual({
          who: w.name,
          cursors: range(base, stable),
        });
      expect(court.disconnects).toEqual([]);
    }),
  );

  it(
    'an api with a graphql-ws subscriber and a writer on it is killed: the subscriber resubscribes on the other api with after, the writer moves, nothing is lost or duplicated',
    withLogs(async () => {
      const closed = new Promise<void>((resolve) => {
        const check = setInterval(
          () => subscriber.closes.length + subscriber.endings.length > 0 && (clearInterval(check), resolve()),
          5,
        );
      });
      const before = writers.map((w) => w.outcomes.length);
      const killedAt = Date.now();
      await d!.kill('api2');
      await closed;
      const noticedIn = Date.now() - killedAt;
      const lastSeen = subscriber.last()!;
      await sleep(700);
      await subscriber.moveTo(d!.url('api1'), base);
      const movedAt = Date.now();
      // Let the writers go on a while on the one api left, then stop them.
      await sleep(2_000);
      await Promise.all(writers.map((w) => w.stop()));

      const outcomes: Outcome[] = writers.flatMap((w, i) => w.outcomes.slice(before[i]));
      const unanswered = outcomes.filter((o) => o.transport !== undefined);
      const errors = writers.flatMap((w) => w.outcomes).filter((o) => !o.ok && o.transport === undefined);
      const end = await d!.lastCursor(taskForceId);
      const caughtUp = await everyoneReaches(end, 20_000, watchers());
      let backlog = await d!.outboxBacklog();
      await waitUntil(async () => (backlog = await d!.outboxBacklog()) === 0, 'the outbox to drain', {
        timeoutMs: 10_000,
        everyMs: 200,
        state: () => `outbox backlog ${backlog}`,
      });
      const firstAfterMove = subscriber.seen.find((e) => e.at >= movedAt);
      const ok = writers.flatMap((w) => w.outcomes).filter((o) => o.ok).length;
      console.log(
        `faults-kill api: the subscriber's connection closed ${noticedIn} ms after the SIGKILL (${JSON.stringify(subscriber.closes.at(-1) ?? subscriber.endings.at(-1))}); ` +
          `last cursor seen ${lastSeen}, resubscribed on api 1 with after ${lastSeen}, first event there ${firstAfterMove ? firstAfterMove.at - movedAt : NaN} ms later; ` +
          `${unanswered.length} mutation(s) cut off by the kill (outcome unknown to the client: ${unanswered.map((o) => o.transport).join(', ')}); ` +
          `${ok} mutations acknowledged in the suite, ${end - base} events in the database; everyone at ${end} ${caughtUp} ms after the writers stopped; ` +
          `writers' calls answered in ${stats(writers.flatMap((w) => w.outcomes).map((o) => o.doneAt - o.sentAt))}`,
      );

      expect(errors.map((o) => ({ title: o.title, via: o.via, error: o.error }))).toEqual([]);
      expect(await d!.eventCursors(taskForceId)).toEqual(range(0, end));
      // Every acknowledged mutation has its event; a call cut off by the kill may or may not have committed.
      expect(end - base).toBeGreaterThanOrEqual(ok);
      expect(end - base).toBeLessThanOrEqual(ok + unanswered.length);
      for (const w of watchers())
        expect({ who: w.name, cursors: w.cursors() }).toEqual({ who: w.name, cursors: range(base, end) });
      expect(witness.closes).toEqual([]);
      expect(court.disconnects).toEqual([]);
      expect(subscriber.attaches.map((a) => a.after)).toEqual([base, lastSeen]);
    }),
  );
});
