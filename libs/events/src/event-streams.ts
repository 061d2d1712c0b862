import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '@hub/core';
import { DomainEvent, EventCursor } from './domain-event.entity';
import { EVENT_BUS, EventBus } from './event-bus';
import { type BusMessage, type EventEnvelope, type SystemEvent } from './event-map';
import { isEventOf } from './event-types';
import { toBusMessage } from './outbox-relay';
import { type CaseSection } from '@hub/access';
import { type Audience, redactFor, redactionKey, type SharedByAgency } from './redaction';

export interface StreamListener {
  audience: Audience;
  /** Only events of this meeting (a meeting room), and membership changes; all of the task force when absent. */
  meetingId?: string;
  deliver(envelope: EventEnvelope): void;
}

const POLL_MS = 2_000;
const PAGE = 1_000;

export class CursorExpiredError extends DomainError {
  constructor() {
    super(
      'CURSOR_EXPIRED',
      'What you missed is older than the hub keeps for catch-up. Reload through GraphQL, then join again without "after".',
    );
  }
}

/** A referral that stands now: its receiving agency reads these sections of its case. */
export interface StandingShare {
  referralId: string;
  caseSummaryId: string;
  toAgencyId: string;
  sections: CaseSection[];
}

/** Reads the standing referrals of a task force; the referrals domain registers it (events cannot import it). */
export type StandingShareSource = (taskForceId: string) => Promise<StandingShare[]>;

const STANDING = new Set(['ACCEPTED', 'IN_SERVICE']);

class TaskForceStream {
  last = 0;
  initialized = false;
  /** Standing referrals as of `last`, by id; `shared` is the same, by receiving agency and case. */
  private readonly standing = new Map<string, StandingShare>();
  shared: SharedByAgency = new Map();
  /** Joins and attaches waiting in the queue: a stream is forgotten only when it has none and no listener. */
  pending = 0;
  readonly listeners = new Set<StreamListener>();
  private queue: Promise<unknown> = Promise.resolve();

  /** What referrals share, loaded when the stream starts at the database's cursor (or later: set by referral id, so idempotent). */
  loadShares(shares: StandingShare[]): void {
    for (const share of shares) this.standing.set(share.referralId, share);
    this.reshare();
  }

  /** A referral event, in cursor order: from the next event on, what its receiver reads follows it. */
  follow(envelope: EventEnvelope): void {
    if (!isEventOf(envelope, 'referral') || !envelope.data) return;
    const { referralId, caseSummaryId, toAgencyId, status, sections } = envelope.data;
    if (STANDING.has(status))
      this.standing.set(referralId, { referralId, caseSummaryId, toAgencyId, sections: sections as CaseSection[] });
    else if (!this.standing.delete(referralId)) return;
    this.reshare();
  }

  private reshare(): void {
    const shared = new Map<string, Map<string, Set<CaseSection>>>();
    for (const share of this.standing.values()) {
      let byCase = shared.get(share.toAgencyId);
      if (!byCase) shared.set(share.toAgencyId, (byCase = new Map()));
      let sections = byCase.get(share.caseSummaryId);
      if (!sections) byCase.set(share.caseSummaryId, (sections = new Set()));
      for (const section of share.sections) sections.add(section);
    }
    this.shared = shared;
  }

  /** Work on one task force's stream happens one piece at a time, in order. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * Delivers each task force's events to listeners in cursor order, exactly once, whatever order the
 * bus brings them in: a duplicate is dropped, a gap is filled from the database first. A listener that
 * attaches with `after` first receives what it missed, from the database, in the same queue as live
 * events, so nothing falls between the two. Each event is redacted once per audience.
 */
@Injectable()
export class EventStreams implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventStreams');
  private readonly streams = new Map<string, TaskForceStream>();
  private readonly systemHandlers: ((event: SystemEvent) => void)[] = [];
  private poller?: NodeJS.Timeout;
  private shareSource: StandingShareSource = () => Promise.resolve([]);

  constructor(
    private readonly orm: MikroORM,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.subscribe((message) => this.receive(message));
    // A message lost on the bus (Redis restarting, say) is found here within seconds.
    this.poller = setInterval(
      () => void this.poll().catch((error: Error) => this.logger.warn(`poll: ${error.message}`)),
      POLL_MS,
    );
    this.poller.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.poller);
  }

  /** Where a stream reads its task force's standing referrals when it starts (the referrals domain). */
  useStandingShares(source: StandingShareSource): void {
    this.shareSource = source;
  }

  onSystemEvent(handler: (event: SystemEvent) => void): void {
    this.systemHandlers.push(handler);
  }

  /**
   * Adds a listener to a task force's stream. With `after`, it first receives every event after that
   * cursor (only its meeting's, for a meeting listener), redacted for its audience. Returns the cursor it
   * is now at, and how to detach.
   */
  async attach(
    taskForceId: string,
    listener: StreamListener,
    after?: number,
  ): Promise<{ cursor: number; detach: () => void }> {
    return this.use(taskForceId, async (stream) => {
      await this.replayMissed(taskForceId, stream, listener, after, (envelope) => listener.deliver(envelope));
      stream.listeners.add(listener);
      return { cursor: stream.last, detach: () => this.detach(taskForceId, listener) };
    });
  }

  /**
   * For a socket joining a room: in the task force's queue, replays what it missed after `after`
   * (redacted for its audience, only its meeting's for a meeting room) and then joins it, so that no
   * live event falls between the replay and the room. Returns the cursor the socket is now at.
   */
  async replayThenJoin(
    taskForceId: string,
    target: { audience: Audience; meetingId?: string },
    after: number | undefined,
    replay: (envelope: EventEnvelope) => void,
    join: () => void | Promise<void>,
  ): Promise<number> {
    return this.use(taskForceId, async (stream) => {
      await this.replayMissed(taskForceId, stream, target, after, replay);
      await join();
      return stream.last;
    });
  }

  /** Catch-up, in the stream's queue: every event after `after` up to now, redacted for the audience. */
  private async replayMissed(
    taskForceId: string,
    stream: TaskForceStream,
    target: { audience: Audience; meetingId?: string },
    after: number | undefined,
    replay: (envelope: EventEnvelope) => void,
  ): Promise<void> {
    if (after === undefined) return;
    // Another instance may have committed events this one has not heard of yet: catch up from the database first.
    if (after > stream.last) await this.fill(taskForceId, stream, await this.currentCursor(taskForceId));
    if (after > stream.last) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `"after" is ahead of this task force's events (the latest is ${stream.last}).`,
        { field: 'after' },
      );
    }
    if (after === stream.last) return;
    for (const envelope of await this.history(taskForceId, after, stream.last, target.meetingId))
      // Access follows the referral as it stands now: a withdrawn consent hides its sections from the replay too.
      replay(redactFor(envelope, target.audience, stream.shared));
  }

  /** The current cursor of a task force (0 before its first event). */
  async currentCursor(taskForceId: string): Promise<number> {
    const row = await this.orm.em.fork().findOne(EventCursor, { taskForceId });
    return row?.lastCursor ?? 0;
  }

  private detach(taskForceId: string, listener: StreamListener): void {
    const stream = this.streams.get(taskForceId);
    if (stream?.listeners.delete(listener)) this.forgetIfIdle(taskForceId, stream);
  }

  /**
   * Runs work in a task force's queue, creating the stream (at the database's current cursor) if
   * needed. The stream stays in the map while work is pending, so a listener never lands on a
   * stream that was dropped, and is forgotten once it has neither listeners nor pending work.
   */
  private use<T>(taskForceId: string, work: (stream: TaskForceStream) => Promise<T>): Promise<T> {
    let stream = this.streams.get(taskForceId);
    if (!stream) this.streams.set(taskForceId, (stream = new TaskForceStream()));
    const current = stream;
    current.pending++;
    return current
      .run(async () => {
        if (!current.initialized) {
          current.last = await this.currentCursor(taskForceId);
          // Read after the cursor: a referral event after it is delivered too, and applying it twice is harmless.
          current.loadShares(await this.shareSource(taskForceId));
          current.initialized = true;
        }
        return work(current);
      })
      .finally(() => {
        current.pending--;
        this.forgetIfIdle(taskForceId, current);
      });
  }

  private forgetIfIdle(taskForceId: string, stream: TaskForceStream): void {
    if (!stream.listeners.size && !stream.pending && this.streams.get(taskForceId) === stream)
      this.streams.delete(taskForceId);
  }

  private receive(message: BusMessage): void {
    if (message.kind === 'system') {
      for (const handler of this.systemHandlers) handler(message);
      return;
    }
    const { envelope, meetingId } = message;
    const stream = this.streams.get(envelope.taskForceId);
    if (!stream) return; // nobody here listens to this task force
    void stream.run(async () => {
      if (!stream.initialized) return; // it starts from the database's cursor, which includes this event
      if (envelope.cursor <= stream.last) {
        return;
      }
      if (envelope.cursor > stream.last + 1) await this.fill(envelope.taskForceId, stream, envelope.cursor - 1);
      this.deliver(stream, envelope, meetingId);
    });
  }

  private async poll(): Promise<void> {
    const ids = [...this.streams.keys()];
    if (!ids.length) return;
    const rows = await this.orm.em.fork().find(EventCursor, { taskForceId: { $in: ids } });
    for (const row of rows) {
      const stream = this.streams.get(row.taskForceId);
      if (stream?.initialized && row.lastCursor > stream.last)
        void stream.run(() => this.fill(row.taskForceId, stream, row.lastCursor));
    }
  }

  /** Delivers what the bus did not bring, up to `upTo`, from the database. */
  private async fill(taskForceId: string, stream: TaskForceStream, upTo: number): Promise<void> {
    if (upTo <= stream.last) return;
    const rows = await this.rows(taskForceId, stream.last, upTo);
    for (const row of rows) {
      const message = toBusMessage(row);
      if (message.kind === 'event') this.deliver(stream, message.envelope, message.meetingId);
    }
  }

  private deliver(stream: TaskForceStream, envelope: EventEnvelope, meetingId: string | null): void {
    stream.last = envelope.cursor;
    stream.follow(envelope);
    const redacted = new Map<string, EventEnvelope>();
    // Membership changes reach meeting listeners too: they decide who may stay in the meeting's rooms.
    const aboutAccess = isEventOf(envelope, 'membership');
    for (const listener of stream.listeners) {
      if (listener.meetingId && listener.meetingId !== meetingId && !aboutAccess) continue;
      const key = redactionKey(listener.audience, stream.shared, envelope);
      let version = redacted.get(key);
      if (!version) redacted.set(key, (version = redactFor(envelope, listener.audience, stream.shared)));
      try {
        listener.deliver(version);
      } catch (error) {
        this.logger.warn(`a listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Events after `after` up to `upTo` from the database, in cursor order; refuses what is no longer kept. */
  private async history(
    taskForceId: string,
    after: number,
    upTo: number,
    meetingId?: string,
  ): Promise<EventEnvelope[]> {
    const first = await this.orm.em
      .fork()
      .findOne(DomainEvent, { taskForceId }, { orderBy: { cursor: 'asc' }, fields: ['cursor'] });
    if (!first || (first.cursor ?? 0) > after + 1) throw new CursorExpiredError();
    const rows = await this.rows(taskForceId, after, upTo, meetingId);
    return rows.flatMap((row) => {
      const message = toBusMessage(row);
      return message.kind === 'event' ? [message.envelope] : [];
    });
  }

  private async rows(taskForceId: string, after: number, upTo: number, meetingId?: string): Promise<DomainEvent[]> {
    const em = this.orm.em.fork();
    const all: DomainEvent[] = [];
    let from = after;
    // One round trip per page of PAGE events.
    for (;;) {
      const page = await em.find(
        DomainEvent,
        { taskForceId, cursor: { $gt: from, $lte: upTo }, ...(meetingId && { meetingId }) },
        { orderBy: { cursor: 'asc' }, limit: PAGE },
      );
      all.push(...page);
      if (page.length < PAGE) return all;
      from = page[page.length - 1].cursor!;
    }
  }
}
