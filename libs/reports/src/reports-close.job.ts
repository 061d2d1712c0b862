import { MikroORM } from '@mikro-orm/core';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { localDateOf, loggableError, withRequestEntityManager } from '@hub/core';
import { lastClosedQuarter, previousPeriod } from './period';
import { ReportsService } from './reports.service';

/** How often an instance looks for a quarter that ended and has not been closed. */
const EVERY_MS = 6 * 3_600_000;
/** Quarters looked at: the last four that ended, so a new deployment (or the demo) starts with a year of roll-ups. */
const LOOK_BACK = 4;

/**
 * Closes quarters when they end: at start and every six hours, each ended quarter of the last year
 * without a snapshot gets one. Several instances may race; the unique (task force, quarter) index
 * keeps one snapshot, and the loser's attempt is logged and dropped.
 */
@Injectable()
export class ReportsCloseJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportsCloseJob');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly orm: MikroORM,
    private readonly reports: ReportsService,
  ) {}

  /** The first pass runs before the process serves anyone: a quarter is closed before its roll-up can be asked for. */
  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void (this.running = this.tick()), EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    let quarter = lastClosedQuarter(localDateOf(new Date()));
    const quarters = [];
    for (let i = 0; i < LOOK_BACK; i++, quarter = previousPeriod(quarter)) quarters.unshift(quarter.key);
    for (const key of quarters) {
      try {
        const { taken } = await withRequestEntityManager(this.orm.em, () => this.reports.closeQuarter(null, key));
        if (taken) this.logger.log(`Closed ${key}: ${taken} task force snapshot(s).`);
      } catch (error) {
        this.logger.warn(`Closing ${key} failed (another instance may have closed it): ${loggableError(error)}`);
      }
    }
  }
}
