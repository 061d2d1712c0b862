import { type Metrics } from '@hub/core';
import type { NextFunction, Request, Response } from 'express';

/** Routes as a bounded label set: never an id or a token in a metric. */
function routeOf(path: string): string {
  if (path === '/graphql') return '/graphql';
  if (path.startsWith('/health/')) return '/health';
  if (path === '/metrics') return '/metrics';
  if (/^\/meetings\/[^/]+\/minutes\.md$/.test(path)) return '/meetings/:id/minutes.md';
  if (path.startsWith('/calendar/')) return '/calendar/:token.ics';
  if (path.startsWith('/assets/') || path === '/' || !path.includes('.')) return 'web';
  return 'other';
}

/** Refusals that happen before GraphQL sees the request (body parser, CSRF, unknown routes). */
const HTTP_REJECTIONS: Record<number, string> = {
  400: 'http_bad_request',
  413: 'body_too_large',
  415: 'http_unsupported_media_type',
  429: 'rate_limited',
};

/** Request latency for every HTTP route; GraphQL operations count their own refusals (see the Apollo plugin). */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    // Taken now: a mounted handler (Apollo) rewrites the path.
    const route = routeOf(req.path);
    res.once('finish', () => {
      stop({ method: req.method, route, status: String(res.statusCode) });
      const rejection = HTTP_REJECTIONS[res.statusCode];
      if (rejection && !res.locals.rejectionCounted) metrics.reject(rejection);
    });
    next();
  };
}
