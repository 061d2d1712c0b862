import { Global, Injectable, Module } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Read when Prometheus scrapes: how far the outbox is behind (seconds since the oldest unpublished event, and how many). */
export type OutboxProbe = () => Promise<{ lagSeconds: number; pending: number }>;

/**
 * Every figure `GET /metrics` shows, in one registry per app (several apps may share a test process).
 * Labels are bounded sets (transport, reason, operation type, root field): never ids or text.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private outboxProbe?: OutboxProbe;

  readonly httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly resolverDuration = new Histogram({
    name: 'hub_graphql_resolver_duration_seconds',
    help: 'GraphQL root fields (queries, mutations, subscriptions) by outcome.',
    labelNames: ['type', 'field', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly socketsConnected = new Gauge({
    name: 'hub_sockets_connected',
    help: 'Live connections on this instance.',
    labelNames: ['transport'],
    registers: [this.registry],
  });
  readonly eventsPublished = new Counter({
    name: 'hub_events_published_total',
    help: 'Outbox events this instance published on the bus.',
    registers: [this.registry],
  });
  readonly eventsDelivered = new Counter({
    name: 'hub_events_delivered_total',
    help: 'Events sent to clients (per socket or subscriber), live or in catch-up.',
    labelNames: ['transport'],
    registers: [this.registry],
  });
  readonly catchUps = new Counter({
    name: 'hub_catchups_served_total',
    help: 'Reconnecting clients that asked for the events after a cursor.',
    labelNames: ['transport'],
    registers: [this.registry],
  });
  readonly writeConflicts = new Counter({
    name: 'hub_write_conflicts_total',
    help: 'Write transactions the database refused under contention (deadlock, serialization), retried or given up.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly actorCache = new Counter({
    name: 'hub_actor_cache_total',
    help: 'Authenticated requests whose actor came from the cache (hit) or the database (miss); cached actors dropped by bus events (invalidated).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'hub_rejected_requests_total',
    help: 'Requests, operations and socket messages refused, by reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
    // One probe per scrape serves both gauges; a database that does not answer leaves them unset.
    let last: { at: number; value: Promise<{ lagSeconds: number; pending: number } | undefined> } | undefined;
    const read = () => {
      if (!last || Date.now() - last.at > 500)
        last = { at: Date.now(), value: this.outboxProbe?.().catch(() => undefined) ?? Promise.resolve(undefined) };
      return last.value;
    };
    new Gauge({
      name: 'hub_outbox_lag_seconds',
      help: 'Age of the oldest event not yet published on the bus (0 when the outbox is empty).',
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (value) this.set(value.lagSeconds);
      },
    });
    new Gauge({
      name: 'hub_outbox_pending_events',
      help: 'Events committed but not yet published on the bus.',
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (value) this.set(value.pending);
      },
    });
  }

  setOutboxProbe(probe: OutboxProbe): void {
    this.outboxProbe = probe;
  }

  reject(reason: string): void {
    this.rejected.inc({ reason });
  }
}

@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
