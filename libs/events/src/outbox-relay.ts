import { EntityManager, MikroORM } from '@mikro-orm/core';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Metrics } from '@hub/core';
import { DomainEvent } from './domain-event.entity';
import { EVENT_BUS, EventBus } from './event-bus';
import { type BusMessage, type EventEnvelope } from './event-map';

const BATCH = 500;
const PRUNE_EVERY_MS = 3_600_000;
/** How long events are kept for catch-up; a client further behind is told to refetch. */
export const RETENTION_DAYS = 30;
/** Also look now and then, for events left by an instance that stopped before publishing them. */
const SWEEP_MS = 1_000;

/** An outbox row as committed: what the relay publishes (from the committing write, or read back by the sweep). */
export type OutboxRow = Pick<
  DomainEvent,
  'id' | 'type' | 'taskForceId' | 'cursor' | 'actorId' | 'meetingId' | 'at' | 'data'
>;

/**
 * An outbox row as the bus carries it. The row's type and data were written from the typed map
 * (WriteTransaction's event queue), so reading them back as that map is the one place the types are asserted.
 */
export function toBusMessage(event: OutboxRow): BusMessage {
  if (event.taskForceId == null || event.cursor == null) {
    return { kind: 'system', type: event.type, data: event.data } as BusMessage;
  }
  const envelope = {
    type: event.type,
    taskForceId: event.taskForceId,
    cursor: event.cursor,
    at: event.at.toISOString(),
    actorId: event.actorId ?? null,
    data: event.data,
  } as EventEnvelope;
  return { kind: 'event', envelope, meetingId: event.meetingId ?? null };
}

/**
 * Publishes committed outbox rows on the bus and marks them published. A write hands over the rows it
 * has just committed (WriteTransaction), which go out at once without being read back; a timer sweeps
 * the outbox, oldest first, for anything left over (an instance that stopped between commit and
 * publish, a round that failed). While the bus is down the rows simply wait, and go out when it is
 * back. A row may be published twice (two instances, or a sweep that read it while its write was
 * handing it over): subscribers drop duplicates by cursor.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running: Promise<void> | null = null;
  private again = false;
  /** Rows handed over by commits on this instance, in commit order, not yet published. */
  private handed: OutboxRow[] = [];
  private sweepWanted = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;
  private lastPrune = 0;

  constructor(
    private readonly orm: MikroORM,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.setOutboxProbe(() => this.backlog());
    this.timer = setInterval(() => this.kick(), SWEEP_MS);
    this.timer.unref();
  }

  /**
   * Before any module shuts down: the ORM closes its pool in its own shutdown hook, and a round still
   * waiting for a connection from a closed pool would never finish (the process hung until its hard stop).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    // Flush what this instance committed last, if the bus is there to take it.
    await this.publishPending().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }

  /**
   * A write's rows, just committed, in the order it inserted them. Each commit hands over its own rows,
   * so no wake-up can be lost (a shared "something was recorded" flag once lost some) and nothing is
   * read back: the UPDATE marking them published is the relay's one statement per write. While
   * stopping, the last sweep reads them instead.
   */
  committed(rows: readonly OutboxRow[]): void {
    if (!rows.length || this.stopped) return;
    this.handed.push(...rows);
    this.run();
  }

  /** Sweeps the outbox until it is empty; concurrent kicks fold into one more round. */
  kick(): void {
    if (this.stopped) return;
    this.sweepWanted = true;
    this.run();
  }

  /** One round at a time: the handed-over rows first (commit order), then a sweep if one was asked for. */
  private run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const round = this.metrics.relayRoundDuration.startTimer();
        try {
          await this.publishHanded();
          if (this.sweepWanted) {
            this.sweepWanted = false;
            await this.publishPending();
          }
          round();
          this.failures = 0;
          if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
        } catch (error) {
          // Bus or database down: the rows stay unpublished in the outbox; say so once, and let the sweep retry.
          this.handed = [];
          this.metrics.relayFailures.inc();
          if (this.failures++ === 0) this.logger.warn(`events wait in the outbox: ${(error as Error).message}`);
          break;
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = null));
  }

  /** Drops published events older than the retention window (catch-up then answers CURSOR_EXPIRED). */
  async prune(now = new Date()): Promise<number> {
    this.lastPrune = now.getTime();
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 24 * 3_600_000);
    return this.orm.em.fork().nativeDelete(DomainEvent, { publishedAt: { $ne: null }, at: { $lt: cutoff } });
  }

  /** For the outbox gauges: how many events wait, and for how long the oldest has. */
  private async backlog(): Promise<{ lagSeconds: number; pending: number }> {
    const em = this.orm.em.fork();
    const pending = await em.count(DomainEvent, { publishedAt: null });
    if (!pending) return { lagSeconds: 0, pending };
    const oldest = await em.findOne(DomainEvent, { publishedAt: null }, { orderBy: { id: 'asc' }, fields: ['at'] });
    return { lagSeconds: oldest ? Math.max(0, (Date.now() - oldest.at.getTime()) / 1000) : 0, pending };
  }

  private async publishHanded(): Promise<void> {
    // No fork: the UPDATE is the relay's own statement, on a connection of the pool.
    while (this.handed.length) await this.publish(this.orm.em, this.handed.splice(0, BATCH));
  }

  private async publishPending(): Promise<void> {
    const em: EntityManager = this.orm.em.fork();
    for (;;) {
      const rows = await em.find(DomainEvent, { publishedAt: null }, { orderBy: { id: 'asc' }, limit: BATCH });
      if (!rows.length) return;
      await this.publish(em, rows);
      // Handed over while the sweep read them: out already.
      const swept = new Set(rows.map((r) => r.id));
      this.handed = this.handed.filter((r) => !swept.has(r.id));
      if (rows.length < BATCH) return;
    }
  }

  private async publish(em: EntityManager, rows: readonly OutboxRow[]): Promise<void> {
    // A raw statement below: nativeUpdate built it through the query builder on every write, about 5 % of
    // a minute note's CPU. The ids are the relay's own integers, checked before anything is published.
    const ids = rows.map((r) => Number(r.id));
    if (!ids.every(Number.isSafeInteger)) throw new Error('An outbox row without an integer id');
    for (const row of rows) await this.bus.publish(toBusMessage(row));
    await em
      .getConnection()
      .execute(`update domain_event set published_at = ? where id in (${ids.join(', ')})`, [
        em.getPlatform().processDateProperty(new Date()),
      ]);
    this.metrics.eventsPublished.inc(rows.length);
  }
}
