import { Controller, Get, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { answersWithin, Public } from '@hub/core';
import { RedisConnection } from '../redis.provider';
import { Drain } from '../shutdown/drain';

/** Readiness must not hang on a server that does not answer. */
const CHECK_MS = 2_000;

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

  /** Ready to serve: the database answers. Redis is reported, but its absence only slows live events down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    if (this.drain.draining) throw new ServiceUnavailableException({ status: 'draining' });
    const checks: HealthIndicatorFunction[] = [
      async () => {
        const indicator = this.indicators.check('database');
        try {
          await answersWithin(this.orm.em.getConnection().execute('select 1'), CHECK_MS);
          return indicator.up();
        } catch (error) {
          this.logger.warn(`database not ready: ${error instanceof Error ? error.message : String(error)}`);
          return indicator.down({ message: 'unreachable' });
        }
      },
    ];
    const client = this.redis.client;
    if (client) {
      checks.push(async () => {
        const indicator = this.indicators.check('redis');
        try {
          await answersWithin(client.ping(), CHECK_MS);
          return indicator.up();
        } catch (error) {
          // Public endpoint: say that it is down, keep addresses and driver messages in the log.
          this.logger.warn(`redis not reachable: ${error instanceof Error ? error.message : String(error)}`);
          // Still ready: mutations commit and events wait in the outbox; clients get them by the database
          // poll until Redis is back. Failing here would take every instance out of the load balancer at once.
          return indicator.up({ degraded: true, message: 'unreachable; live events are delayed until it is back' });
        }
      });
    }
    return this.health.check(checks);
  }
}
