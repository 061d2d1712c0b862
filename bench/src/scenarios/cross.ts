import { compareFanout } from '../lib/fanout';
import { privateRedis, type Proc } from '../lib/procs';
import { type ScenarioResult } from '../lib/report';
import { log } from '../lib/util';
import { getWorld, startHub } from '../lib/world';
import { type Connected, hubTarget, latencyRows, latencyTable, type Layout, layoutName } from './common';
import { measured } from './fanout';

export async function cross(): Promise<Omit<ScenarioResult, 'seconds'>> {
  const world = await getWorld();
  // BENCH_CROSS_LAYOUT=4x250 (the default): rooms × sockets per room.
  const [rooms, perRoom] = (process.env.BENCH_CROSS_LAYOUT ?? '4x250').split('x').map(Number);
  const layout: Layout = { rooms, perRoom };
  const redis = await privateRedis();
  const env = world.env({ REDIS_URL: redis.url });
  const processes: Proc[] = [];
  let single = measured.get(layoutName(layout))?.find((r) => r.target === 'hub');
  try {
    if (!single) {
      log('cross: measuring the single-process hub first (scenario 1 did not run in this run)');
      const hub = await startHub('hub', world.env());
      processes.push(hub);
      const c = await hubTarget('hub (1 process)', hub.url, [hub.url], world, layout);
      try {
        single = (await compareFanout([c.target], 'cross-single'))[0];
        single = { ...single, target: 'hub' };
      } finally {
        await c.close();
        await hub.stop();
      }
    }
    const [api, g1, g2] = await Promise.all([startHub('api', env), startHub('gateway', env), startHub('gateway', env)]);
    processes.push(api, g1, g2);
    let connected: Connected | undefined;
    let results;
    try {
      connected = await hubTarget('api + 2 gateways + Redis', api.url, [g1.url, g2.url], world, layout);
      results = await compareFanout([connected.target], 'cross');
    } finally {
      await connected?.close();
    }
    const all = [{ ...single!, target: 'hub, 1 process (scenario 1)' }, results[0]];
    const table = latencyTable(
      `Cross-instance: ${layoutName(layout)} sockets split over 2 gateway processes, mutation on a separate api process, Redis in between (ms)`,
    );
    table.rows.push(...latencyRows(layoutName(layout), all));
    const added = (key: 'lastP50' | 'lastP99' | 'firstP50' | 'firstP99' | 'spreadP50' | 'spreadP99') =>
      Math.round((results[0].median[key] - single!.median[key]) * 10) / 10;
    const added50 = added('lastP50');
    const added99 = added('lastP99');
    table.rows.push([
      '',
      'added by scale-out (p50 / p99)',
      '',
      `${added50} / ${added99}`,
      '',
      `${added('firstP50')} / ${added('firstP99')}`,
      `${added('spreadP50')} / ${added('spreadP99')}`,
      '',
    ]);
    return {
      id: 'cross',
      title: '2. Cross-instance (two gateways and Redis)',
      tables: [table],
      targets: [
        {
          target: 'a few milliseconds added at p50',
          measured: `${added50} ms (last recipient), p99 ${added99} ms`,
          met: added50 <= 5,
        },
      ],
      notes: [
        'Same definitions as scenario 1 (distinct members, clocks). Here the mutation runs on the `api` process; its relay publishes the committed event on Redis (a private redis-server on a free port); each `gateway` process receives it and emits to its own half of the sockets. Sockets alternate between the two gateways, so each room is split in half.',
        'Bound by: four busy processes (api, 2 gateways, the client) and redis-server on 2 cores. Part of the added time is the Redis hop (publish + subscriber parse), part is CPU contention that a real deployment on separate machines would not have.',
      ],
      raw: { single, cross: results[0] },
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}
