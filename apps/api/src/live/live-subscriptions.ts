import { Injectable, Logger } from '@nestjs/common';
import { Actor, assertCan, can } from '@hub/access';
import { EventEnvelope, EventStreams } from '@hub/events';
import { Metrics } from '@hub/core';
import { AuditService } from '@hub/audit';
import { AuthService } from '@hub/identity';
import { LiveEventModel } from './live-event.model';

/** graphql-ws closes with this code when a session ends or a token expires (as the protocol's Forbidden). */
export const CLOSE_FORBIDDEN = 4403;

export interface WsConnection {
  close(code: number, reason: string): void;
}

export interface Source {
  taskForceId: string;
  meetingId?: string;
  after?: number;
}

/**
 * One GraphQL subscription over the event streams: a queue that the streams fill and graphql-ws
 * drains. Authorization is re-checked for every event: an ended session or an expired token closes
 * the connection; a membership change re-reads the member, and a removed member's subscription ends.
 */
class Subscription implements AsyncIterableIterator<LiveEventModel> {
  private readonly queue: LiveEventModel[] = [];
  private waiting?: (result: IteratorResult<LiveEventModel>) => void;
  private done = false;
  readonly detachers: (() => void)[] = [];
  timer?: NodeJS.Timeout;
  /** Events held back while the member's own membership change is being re-read: order is kept, nothing leaks. */
  held: { envelope: EventEnvelope; keep: (envelope: EventEnvelope) => boolean }[] | null = null;
  /** A meeting's subscription: membership events only decide whether it may go on. */
  meetingOnly = false;

  constructor(
    public actor: Actor,
    readonly connection: WsConnection | undefined,
    private readonly onEnd: (subscription: Subscription) => void,
  ) {}

  push(envelope: EventEnvelope): void {
    if (this.done) return;
    const event = LiveEventModel.from(envelope);
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
    } else this.queue.push(event);
  }

  end(close?: { code: number; reason: string }): void {
    if (this.done) return;
    this.done = true;
    this.detachers.forEach((detach) => detach());
    clearTimeout(this.timer);
    this.onEnd(this);
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    if (close) this.connection?.close(close.code, close.reason);
  }

  next(): Promise<IteratorResult<LiveEventModel>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<LiveEventModel>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<LiveEventModel>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

@Injectable()
export class LiveSubscriptions {
  private readonly logger = new Logger('LiveSubscriptions');
  private readonly active = new Set<Subscription>();

  constructor(
    private readonly streams: EventStreams,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {
    streams.onSystemEvent((type, data) => {
      const ended = (s: Subscription) =>
        type === 'member.disabled'
          ? s.actor.memberId === data.memberId
          : s.actor.sessionId === (data as { sessionId: string }).sessionId;
      for (const subscription of [...this.active])
        if (ended(subscription)) subscription.end({ code: CLOSE_FORBIDDEN, reason: 'Forbidden: the session ended' });
    });
  }

  /**
   * Opens a subscription on one or more task-force streams (catching up from `after` where given).
   * `keep` filters what this subscription is about (a member's notifications, say).
   */
  async open(
    connected: Actor,
    connection: WsConnection | undefined,
    sources: Source[],
    keep: (envelope: EventEnvelope) => boolean = () => true,
  ) {
    // Memberships as they are now: a connection may have been opened before the member was removed.
    const actor = {
      ...(await this.auth.actorForSession(connected.memberId, connected.sessionId, connected.ip)),
      tokenExpiresAt: connected.tokenExpiresAt,
    };
    for (const source of sources) assertCan(actor, 'events.read', source.taskForceId);
    for (const source of sources) {
      if (source.after !== undefined) this.metrics.catchUps.inc({ transport: 'graphql-ws' });
      void this.audit
        .recordNow({
          action: 'live.subscribed',
          actorId: actor.memberId,
          taskForceId: source.taskForceId,
          subjectType: source.meetingId ? 'Meeting' : 'TaskForce',
          subjectId: source.meetingId ?? source.taskForceId,
          ip: actor.ip,
          details: { after: source.after ?? null },
        })
        .catch((error: Error) => this.logger.warn(`audit: ${error.message}`));
    }
    const subscription = new Subscription(actor, connection, (s) => this.active.delete(s));
    subscription.meetingOnly = sources.every((source) => source.meetingId);
    this.active.add(subscription);
    if (actor.tokenExpiresAt) {
      subscription.timer = setTimeout(
        () => subscription.end({ code: CLOSE_FORBIDDEN, reason: 'Forbidden: the access token expired' }),
        Math.max(0, actor.tokenExpiresAt - Date.now()),
      );
      subscription.timer.unref();
    }
    try {
      for (const source of sources) {
        const { detach } = await this.streams.attach(
          source.taskForceId,
          {
            audience: actor.agencyKind,
            meetingId: source.meetingId,
            deliver: (envelope) => this.deliver(subscription, envelope, keep),
          },
          source.after,
        );
        subscription.detachers.push(detach);
      }
    } catch (error) {
      subscription.end();
      throw error;
    }
    return subscription;
  }

  private deliver(
    subscription: Subscription,
    envelope: EventEnvelope,
    keep: (envelope: EventEnvelope) => boolean,
  ): void {
    if (subscription.held) return void subscription.held.push({ envelope, keep });
    const { actor } = subscription;
    if (actor.tokenExpiresAt && actor.tokenExpiresAt <= Date.now()) {
      return subscription.end({ code: CLOSE_FORBIDDEN, reason: 'Forbidden: the access token expired' });
    }
    if (!can(actor, 'events.read', envelope.taskForceId)) return subscription.end();
    if (
      envelope.type.startsWith('membership.') &&
      (envelope.data as { memberId?: string } | null)?.memberId === actor.memberId
    ) {
      // Our own membership changed: re-read it before anything else is delivered.
      subscription.held = [];
      void this.recheck(subscription, envelope, keep);
      return;
    }
    // Membership changes reach meeting subscriptions only so that they can end; they are not the meeting's events.
    if (subscription.meetingOnly && envelope.type.startsWith('membership.')) return;
    if (!keep(envelope)) return;
    subscription.push(envelope);
    this.metrics.eventsDelivered.inc({ transport: 'graphql-ws' });
  }

  private async recheck(
    subscription: Subscription,
    envelope: EventEnvelope,
    keep: (envelope: EventEnvelope) => boolean,
  ): Promise<void> {
    try {
      const fresh = await this.auth.actorForSession(subscription.actor.memberId, subscription.actor.sessionId);
      subscription.actor = { ...fresh, tokenExpiresAt: subscription.actor.tokenExpiresAt };
    } catch {
      return subscription.end({ code: CLOSE_FORBIDDEN, reason: 'Forbidden: the session ended' });
    }
    const held = subscription.held ?? [];
    subscription.held = null;
    if (!can(subscription.actor, 'events.read', envelope.taskForceId)) {
      this.logger.log(
        `subscription of member ${subscription.actor.memberId} ended: no longer in task force ${envelope.taskForceId}`,
      );
      return subscription.end();
    }
    if (keep(envelope) && !subscription.meetingOnly) subscription.push(envelope);
    for (const next of held) this.deliver(subscription, next.envelope, next.keep);
  }
}
