import { Controller, Get, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { answersWithin, Public } from '@hub/core';
import { RedisConnection } from '../redis.provider';
import { Drain } from '../shutdown/drain';

/** Readiness must not hang on a server that does not answer. */
const CHECK_MS = 2_000;

/** Terminus knows only up and down; Redis has a third state that keeps the instance ready. */
type RedisState = { status: 'up' } | { status: 'degraded'; message: string };
type Readiness = Omit<HealthCheckResult, 'info' | 'details'> & {
  info?: Record<string, { status: string } | undefined>;
  details: Record<string, { status: string } | undefined>;
};

@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly orm: MikroORM,
    private readonly indicators: HealthIndicatorService,
    @Inject(RedisConnection) private readonly redis: RedisConnection,
    private readonly drain: Drain,
  ) {}

  /** The process answers: for restarts by an orchestrator. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready to serve: the database answers. Redis is reported beside it as `up` or `degraded`, never as
   * a reason to leave the load balancer: without it mutations still commit, events wait in the outbox and
   * clients get them by the database poll; failing here would take every instance out at once.
   */
  @Get('ready')
  @HealthCheck()
  async ready(): Promise<Readiness> {
    if (this.drain.draining) throw new ServiceUnavailableException({ status: 'draining' });
    const redis = this.redisState();
    const database: HealthIndicatorFunction = async () => {
      const indicator = this.indicators.check('database');
      try {
        await answersWithin(this.orm.em.getConnection().execute('select 1'), CHECK_MS);
        return indicator.up();
      } catch (error) {
        this.logger.warn(`database not ready: ${error instanceof Error ? error.message : String(error)}`);
        return indicator.down({ message: 'unreachable' });
      }
    };
    const withRedis = async (result: HealthCheckResult): Promise<Readiness> => {
      const state = await redis;
      if (!state) return result;
      return { ...result, info: { ...result.info, redis: state }, details: { ...result.details, redis: state } };
    };
    try {
      return await withRedis(await this.health.check([database]));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException(await withRedis(error.getResponse() as HealthCheckResult));
    }
  }

  /** Absent when Redis is not configured. Terminus only knows up and down, so this is reported by hand. */
  private async redisState(): Promise<RedisState | undefined> {
    const client = this.redis.client;
    if (!client) return undefined;
    try {
      await answersWithin(client.ping(), CHECK_MS);
      return { status: 'up' };
    } catch (error) {
      // Public endpoint: say that it is down, keep addresses and driver messages in the log.
      this.logger.warn(`redis not reachable: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'degraded', message: 'unreachable; live events are delayed until it is back' };
    }
  }
}
