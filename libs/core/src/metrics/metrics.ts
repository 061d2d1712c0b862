import { Global, Injectable, Module } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Read when Prometheus scrapes: how far the outbox is behind (seconds since the oldest unpublished event, and how many). */
export type OutboxProbe = () => Promise<{ lagSeconds: number; pending: number }>;

/**
 * prom-client's default gauges that end in `_total`, which `promtool check metrics` refuses for a non-counter.
 * Their labelled siblings (`hub_nodejs_active_handles{type}`, …) stay; a sum over `type` gives the same figure.
 */
const MISNAMED_DEFAULTS = [
  'hub_nodejs_active_handles_total',
  'hub_nodejs_active_requests_total',
  'hub_nodejs_active_resources_total',
];

/** The version in the hub's package.json (found upward from here: the source tree, dist/ and the image differ in depth). */
function hubVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'task-force-hub') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}

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
  readonly relayFailures = new Counter({
    name: 'hub_relay_failures_total',
    help: 'Outbox relay rounds that could not publish (bus or database down); the events wait and are retried.',
    registers: [this.registry],
  });
  readonly relayRoundDuration = new Histogram({
    name: 'hub_relay_round_duration_seconds',
    help: 'Outbox relay rounds (publish until the outbox is empty; one SELECT when nothing waits).',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly liveRecheckDuration = new Histogram({
    name: 'hub_live_recheck_duration_seconds',
    help: 'Periodic re-checks of the live sessions held here: one observation per batch of up to 1,000 sessions (batches a second apart up to 15 batches a round, closer beyond).',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /**
   * Process CPU while each re-check batch ran: what else ran in between is in it too, so it bounds the
   * batch's own cost. A histogram, so that one costly batch shows (the bench's goal is 0.1 s per batch).
   */
  readonly liveRecheckCpu = new Histogram({
    name: 'hub_live_recheck_cpu_seconds',
    help: 'Process CPU (user + system) while each batch of the periodic session re-check ran: an upper bound of its cost.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  /** Always 1; the labels say what runs (for dashboards and "which version is where"). */
  readonly buildInfo = new Gauge({
    name: 'hub_build_info',
    help: 'The running build: hub version, Node version and deployable (hub, api or gateway).',
    labelNames: ['version', 'node', 'deployable'],
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'hub_rejected_requests_total',
    help: 'Requests, operations and socket messages refused, by reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly notificationsCreated = new Counter({
    name: 'hub_notifications_created_total',
    help: 'Inbox notifications written, by kind (one per recipient).',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly notificationsDelivered = new Counter({
    name: 'hub_notifications_delivered_total',
    help: 'Notifications pushed live to a connection of their member, by kind and transport.',
    labelNames: ['kind', 'transport'],
    registers: [this.registry],
  });
  readonly reminderSweepFailures = new Counter({
    name: 'hub_reminder_sweep_failures_total',
    help: 'Reminder sweep rounds that failed (database down, say); the steps are tried again next round.',
    registers: [this.registry],
  });
  readonly emails = new Counter({
    name: 'hub_notification_emails_total',
    help: 'Notification e-mails handed to the SMTP server (sent) or refused by it or unreachable (failed, retried).',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  /** Set by the mailer's probe at each scrape: e-mails in the outbox not yet accepted by the SMTP server. */
  readonly emailsWaiting = new Gauge({
    name: 'hub_notification_emails_waiting',
    help: 'Notification e-mails waiting in the outbox for the SMTP server.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hub_' });
    for (const name of MISNAMED_DEFAULTS) this.registry.removeSingleMetric(name);
    this.identify('hub');
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

  /** Which deployable this registry belongs to (the embedded hub until a deployable says otherwise). */
  identify(deployable: string): void {
    this.buildInfo.reset();
    this.buildInfo.set({ version: hubVersion(), node: process.version, deployable }, 1);
  }

  reject(reason: string): void {
    this.rejected.inc({ reason });
  }
}

@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
