import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Actor, actorWith, can } from '@hub/access';
import { AuditService } from '@hub/audit';
import { Metrics } from '@hub/core';
import { EventStreams } from '../event-streams';
import { type SystemEvent } from '../event-map';

/** Why the hub ends a live connection; each transport says it in its own words and codes. */
export type SessionEndReason = 'disabled' | 'revoked' | 'expired';

/** Reads sessions for the watch. Implemented by identity, which owns sessions (events cannot import it). */
export interface SessionLookup {
  /** This session's actor as the database has it now; throws the "session ended" error when it has ended. */
  actorFor(memberId: string, sessionId: string, ip: string | null): Promise<Actor>;
  /** The actors of those of these sessions that are still live, by session id, in a fixed number of statements. */
  liveActors(sessionIds: readonly string[]): Promise<Map<string, Actor>>;
}

export const SESSION_LOOKUP = Symbol('SESSION_LOOKUP');

/** What a transport does when the watch ends one of its connections, or learns that its rights changed. */
export interface LiveConnectionHooks {
  /** Tell the client why, and close. */
  end(reason: SessionEndReason): void;
  /** The actor was re-read or lost a task force: leave what it may no longer read. */
  changed?(actor: Actor): void;
}

/** A room or subscription a live connection is in, for the audit trail and the access re-check. */
export interface LiveTarget {
  taskForceId: string;
  meetingId?: string;
}

/** How often every session held here is checked again against the database, in case a bus message was lost. */
export const RECHECK_MS = 30_000;
/**
 * Sessions read per batch of a re-check (two statements), and the longest wait between two batches. One
 * batch of 1,000 costs some 30–55 ms of CPU; a round of many batches in one go would take a core for
 * as long as it runs, so they come a second apart (closer when a round would otherwise outlast half a period).
 */
export const RECHECK_BATCH = 1_000;
export const RECHECK_PAUSE_MS = 1_000;

/**
 * One live connection of one session (a Socket.IO socket, a graphql-ws connection, a subscription):
 * its actor as last checked, ended by the watch when the session ends, the member is disabled or the
 * access token expires.
 */
export class LiveSession {
  private current: Actor;
  private expiry?: NodeJS.Timeout;
  private closed = false;

  constructor(
    actor: Actor,
    /** What the transport gave for this connection (also how it finds its own connections again). */
    readonly hooks: LiveConnectionHooks,
    private readonly watch: LiveSessions,
  ) {
    this.current = actor;
    if (actor.tokenExpiresAt !== undefined) {
      // Whole seconds, rounded up: Node keeps one timer list per distinct delay, so a delay to the
      // millisecond gave every connection a list of its own. Rounded down, a connection would end while
      // its token still opens a new one. So room events may reach it up to a second after the token's
      // expiry (its session is still live: revocation and disabling end it at once, through the bus).
      const delay = Math.ceil(Math.max(0, actor.tokenExpiresAt - Date.now()) / 1000) * 1000;
      this.expiry = setTimeout(() => this.end('expired'), delay);
      this.expiry.unref();
    }
  }

  get actor(): Actor {
    return this.current;
  }

  get ended(): boolean {
    return this.closed;
  }

  /** Whether its access token has expired (a timer ends it too; this answers in between). */
  get expired(): boolean {
    return this.current.tokenExpiresAt !== undefined && this.current.tokenExpiresAt <= Date.now();
  }

  /**
   * Memberships as they are now; throws (without ending anything) when the session has ended. Rights
   * that changed are told to the transport at once: the periodic re-check tells it only of changes it
   * finds itself, so a change adopted here and not told would never make it leave a lost room.
   */
  async refresh(): Promise<Actor> {
    const before = this.current;
    const fresh = await this.watch.lookup.actorFor(
      this.current.memberId,
      this.current.sessionId,
      this.current.ip ?? null,
    );
    const now = this.adopt(fresh);
    if (!sameRights(before, now)) this.notify();
    return now;
  }

  /** Records that this member joined a live room or subscribed (the audit trail never holds up the join). */
  recordJoin(action: 'live.roomJoined' | 'live.subscribed', target: LiveTarget & { after?: number }): void {
    this.watch.audit
      .recordNow({
        action,
        actorId: this.current.memberId,
        taskForceId: target.taskForceId,
        subjectType: target.meetingId ? 'Meeting' : 'TaskForce',
        subjectId: target.meetingId ?? target.taskForceId,
        ip: this.current.ip,
        details: { after: target.after ?? null },
      })
      .catch((error: Error) => this.watch.logger.warn(`audit: ${error.message}`));
  }

  /** Of the rooms or subscriptions a connection is in (by key), the ones its actor may no longer read. */
  lost<K, T extends LiveTarget>(targets: ReadonlyMap<K, T>): [K, T][] {
    return [...targets].filter(([, target]) => !can(this.current, 'events.read', target.taskForceId));
  }

  /** The transport's connection is gone: stop watching it. */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiry);
    this.watch.forget(this);
  }

  /** @internal the watch ends it: released first, so that the transport's close handler finds nothing to do. */
  end(reason: SessionEndReason): void {
    if (this.closed) return;
    this.release();
    this.hooks.end(reason);
  }

  /** @internal a fresh read of the session, keeping what came from this connection's own token and address. */
  adopt(fresh: Actor): Actor {
    this.current = actorWith(fresh, {
      ip: this.current.ip ?? null,
      tokenExpiresAt: this.current.tokenExpiresAt,
      // A service account's scopes come with its key, which this connection was opened with.
      serviceAccount: this.current.serviceAccount,
    });
    return this.current;
  }

  /** @internal */
  notify(): void {
    if (!this.closed) this.hooks.changed?.(this.current);
  }

  /** @internal the member left a task force: its role there is gone before any later event is delivered. */
  dropTaskForce(taskForceId: string): void {
    if (!this.current.roles.has(taskForceId)) return;
    const roles = new Map(this.current.roles);
    roles.delete(taskForceId);
    this.current = actorWith(this.current, { roles });
  }
}

/**
 * The one watch over live connections, for every transport of this process: it ends them when their
 * session is revoked, their member is disabled or their token expires (on every instance, through the
 * bus's system events), and re-checks every session it holds every 30 s, in batches of RECHECK_BATCH a
 * second apart (two statements and one short burst of CPU each), in case a bus message was lost.
 */
@Injectable()
export class LiveSessions implements OnApplicationBootstrap, OnModuleDestroy {
  /** @internal */
  readonly logger = new Logger('LiveSessions');
  /** Session id → its connections here; member id → its sessions here (mostly one of each: see OneOrMore). */
  private readonly bySession = new Map<string, OneOrMore<LiveSession>>();
  private readonly byMember = new Map<string, OneOrMore<string>>();
  private timer?: NodeJS.Timeout;
  private checking: Promise<void> | null = null;
  private stopped = false;
  private wake?: () => void;

  constructor(
    @Inject(SESSION_LOOKUP) readonly lookup: SessionLookup,
    @Inject(AuditService) readonly audit: Pick<AuditService, 'recordNow'>,
    @Inject(EventStreams) streams: Pick<EventStreams, 'onSystemEvent'>,
    @Inject(Metrics) private readonly metrics: Pick<Metrics, 'liveRecheckDuration' | 'liveRecheckCpu'>,
  ) {
    streams.onSystemEvent((event) => this.onSystemEvent(event));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.recheck(), RECHECK_MS);
    this.timer.unref();
  }

  /** Stops the timer, cuts a paused round short and waits for a batch in flight (it uses the database). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.wake?.();
    await this.checking;
  }

  /** Starts watching a live connection of `actor`'s session. */
  watch(actor: Actor, hooks: LiveConnectionHooks): LiveSession {
    const session = new LiveSession(actor, hooks, this);
    if (!this.bySession.has(actor.sessionId)) add(this.byMember, actor.memberId, actor.sessionId);
    add(this.bySession, actor.sessionId, session);
    return session;
  }

  /** How many sessions and connections are watched here. */
  get size(): { sessions: number; connections: number } {
    let connections = 0;
    for (const held of this.bySession.values()) connections += held instanceof Set ? held.size : 1;
    return { sessions: this.bySession.size, connections };
  }

  /** The connections of a member held here, live ones only (for a transport's own notices to it). */
  connectionsOf(memberId: string): LiveSession[] {
    return this.connectionsOfMember(memberId);
  }

  /**
   * Synchronously, before the removal event (or any later one) is delivered: every live connection of
   * the member here loses the task force, and its transport leaves what it may no longer read.
   */
  memberLeft(taskForceId: string, memberId: string): void {
    for (const session of this.connectionsOfMember(memberId)) session.dropTaskForce(taskForceId);
    for (const session of this.connectionsOfMember(memberId)) session.notify();
  }

  /**
   * Every session held here, read again in batches of RECHECK_BATCH: an ended one closes all its
   * connections, a live one gets its current memberships (and its transports leave what it may no
   * longer read). Overlapping calls share one round.
   */
  recheck(): Promise<void> {
    this.checking ??= this.recheckAll()
      .catch((error: Error) => this.logger.warn(`recheck: ${error.message}`))
      .finally(() => (this.checking = null));
    return this.checking;
  }

  private async recheckAll(): Promise<void> {
    const ids = [...this.bySession.keys()];
    const batches = Math.ceil(ids.length / RECHECK_BATCH);
    const pause = Math.min(RECHECK_PAUSE_MS, RECHECK_MS / 2 / batches);
    for (let batch = 0; batch < batches; batch++) {
      if (batch) await this.sleep(pause);
      if (this.stopped) return;
      // A batch that fails is logged and the round goes on: the later batches' sessions are not left for the next round.
      await this.recheckBatch(ids.slice(batch * RECHECK_BATCH, (batch + 1) * RECHECK_BATCH)).catch((error: Error) =>
        this.logger.warn(`recheck: ${error.message}`),
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms).unref();
      this.wake = done;
    });
  }

  private async recheckBatch(ids: string[]): Promise<void> {
    // Its cost, for operators and for the benchmark that holds it to 10 % of a core (docs/benchmarks.md).
    const cpu = process.cpuUsage();
    const done = this.metrics.liveRecheckDuration.startTimer();
    try {
      await this.recheckSessions(ids);
    } finally {
      done();
      const used = process.cpuUsage(cpu);
      this.metrics.liveRecheckCpu.observe((used.user + used.system) / 1e6);
    }
  }

  private async recheckSessions(ids: string[]): Promise<void> {
    const live = await this.lookup.liveActors(ids);
    for (const id of ids) {
      const fresh = live.get(id);
      const connections = all(this.bySession.get(id));
      if (!fresh) connections.forEach((session) => session.end('revoked'));
      else
        for (const session of connections) {
          // Nearly always nothing changed (the bus already said what did): no new actor, nothing to re-check.
          if (sameRights(session.actor, fresh)) continue;
          session.adopt(fresh);
          session.notify();
        }
    }
  }

  private onSystemEvent(event: SystemEvent): void {
    if (event.type === 'member.disabled')
      for (const session of this.connectionsOfMember(event.data.memberId)) session.end('disabled');
    if (event.type === 'session.revoked')
      for (const session of all(this.bySession.get(event.data.sessionId))) session.end('revoked');
  }

  private connectionsOfMember(memberId: string): LiveSession[] {
    return all(this.byMember.get(memberId)).flatMap((id) => all(this.bySession.get(id)));
  }

  /** @internal */
  forget(session: LiveSession): void {
    const { sessionId, memberId } = session.actor;
    if (remove(this.bySession, sessionId, session)) remove(this.byMember, memberId, sessionId);
  }
}

/** Whether two reads of one session grant the same: agency, platform roles and every task force's role. */
function sameRights(held: Actor, fresh: Actor): boolean {
  if (
    held.agencyId !== fresh.agencyId ||
    held.agencyKind !== fresh.agencyKind ||
    held.isPlatformAdmin !== fresh.isPlatformAdmin ||
    Boolean(held.isNationalProgramme) !== Boolean(fresh.isNationalProgramme) ||
    held.roles.size !== fresh.roles.size
  )
    return false;
  for (const [taskForceId, role] of fresh.roles) if (held.roles.get(taskForceId) !== role) return false;
  return true;
}

/**
 * An index entry: the one value itself, or a Set once there are more. Nearly every session has one
 * connection and every member one session, and a Set per socket was a few hundred bytes of each idle
 * connection. (Values are objects and ids, never Sets themselves.)
 */
type OneOrMore<T> = T | Set<T>;

function add<T>(index: Map<string, OneOrMore<T>>, key: string, value: T): void {
  const held = index.get(key);
  if (held === undefined) index.set(key, value);
  else if (held instanceof Set) held.add(value);
  else if (held !== value) index.set(key, new Set([held, value]));
}

/** Removes `value` under `key`; true when the key holds nothing any more (and is gone). */
function remove<T>(index: Map<string, OneOrMore<T>>, key: string, value: T): boolean {
  const held = index.get(key);
  if (held instanceof Set) {
    if (!held.delete(value) || held.size) return false;
  } else if (held !== value) return false;
  index.delete(key);
  return true;
}

/** A copy: callers end connections while they go through it. */
function all<T>(held: OneOrMore<T> | undefined): T[] {
  return held === undefined ? [] : held instanceof Set ? [...held] : [held];
}
