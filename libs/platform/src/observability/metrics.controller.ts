import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { bearerToken, HUB_CONFIG, HubConfig, Metrics, Public, unauthenticated } from '@hub/core';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus text format. Open on the embedded default; behind `METRICS_TOKEN` when one is set. In
 * production without a token it answers 401 rather than refusing to boot: a missing scrape token must
 * not take the hub down, and the banner and the answer both say what to set.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.metricsToken;
    if (!token && this.config.production) {
      this.metrics.reject('metrics_unauthenticated');
      throw unauthenticated('Metrics are closed in production until METRICS_TOKEN is set (16+ characters).');
    }
    if (token && !sameSecret(bearerToken(authorization) ?? '', token)) {
      this.metrics.reject('metrics_unauthenticated');
      throw unauthenticated('Metrics need "Authorization: Bearer <METRICS_TOKEN>".');
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
