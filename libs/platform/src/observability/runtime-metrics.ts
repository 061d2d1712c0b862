import { MikroORM } from '@mikro-orm/core';
import { type AbstractSqlConnection } from '@mikro-orm/knex';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { answersWithin, Metrics } from '@hub/core';
import { Gauge } from 'prom-client';
import { RedisConnection } from '../redis.provider';

/** A scrape must not wait on a database that does not answer (Prometheus' own timeout is 10 s). */
const PROBE_MS = 1_000;

/** tarn's pool, as knex keeps it: the figures an operator needs when requests queue for a connection. */
interface PoolFigures {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * The dependencies' state, read at scrape: whether the database answers, how its connection pool is used,
 * and whether Redis (when configured) is connected. These back the "database unavailable" and "Redis
 * degraded" alerts in deploy/prometheus/.
 */
@Injectable()
export class RuntimeMetrics implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: Metrics,
    private readonly orm: MikroORM,
    @Inject(RedisConnection) private readonly redis: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    const { orm, redis } = this;
    const registers = [this.metrics.registry];
    new Gauge({
      name: 'hub_database_up',
      help: 'Whether the database answered "select 1" within 1 s at this scrape (1) or not (0).',
      registers,
      async collect() {
        const up = await answersWithin(orm.em.getConnection().execute('select 1'), PROBE_MS).then(
          () => 1,
          () => 0,
        );
        this.set(up);
      },
    });
    new Gauge({
      name: 'hub_database_pool_connections',
      help: 'Database connections of this instance: in use, idle, and requests waiting for one.',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = (orm.em.getConnection() as AbstractSqlConnection).getKnex().client.pool as PoolFigures | undefined;
        if (!pool) return;
        this.set({ state: 'used' }, pool.numUsed());
        this.set({ state: 'idle' }, pool.numFree());
        this.set({ state: 'pending' }, pool.numPendingAcquires());
      },
    });
    if (redis.client) {
      const client = redis.client;
      new Gauge({
        name: 'hub_redis_up',
        help: 'Whether this instance is connected to Redis (1) or not (0); while 0, live events go by the database poll.',
        registers,
        collect() {
          this.set(client.status === 'ready' ? 1 : 0);
        },
      });
    }
  }
}
