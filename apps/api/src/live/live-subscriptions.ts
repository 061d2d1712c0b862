import { Injectable, Logger } from '@nestjs/common';
import { type Actor, assertCan, can } from '@hub/access';
import {
  audienceOf,
  type EventEnvelope,
  EventStreams,
  isEventOf,
  type LiveSession,
  LiveSessions,
  type SessionEndReason,
} from '@hub/events';
import type { NotificationEnvelope, NotificationPayload } from '@hub/contracts';
import { Metrics } from '@hub/core';
import { NotificationFeed } from '@hub/notifications';
import { LiveEventModel } from './live-event.model';

/** graphql-ws closes with this code when a session ends or a token expires (as the protocol's Forbidden). */
export const CLOSE_FORBIDDEN = 4403;

const SESSION_ENDED = { code: CLOSE_FORBIDDEN, reason: 'Forbidden: the session ended' };
const TOKEN_EXPIRED = { code: CLOSE_FORBIDDEN, reason: 'Forbidden: the access token expired' };
const CLOSE_FOR: Record<SessionEndReason, { code: number; reason: string }> = {
  disabled: SESSION_ENDED,
  revoked: SESSION_ENDED,
  expired: TOKEN_EXPIRED,
};

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
 * drains. The live-session watch closes the connection when the session ends or the token expires;
 * authorization is also re-checked for every event: a membership change re-reads the member, and a
 * removed member's subscription ends.
 */
class Subscription implements AsyncIterableIterator<LiveEventModel> {
  private readonly queue: LiveEventModel[] = [];
  private waiting?: (result: IteratorResult<LiveEventModel>) => void;
  private done = false;
  readonly detachers: (() => void)[] = [];
  /** Its connection's session, as the live-session watch keeps it. */
  readonly session: LiveSession;
  /** Events held back while the member's own membership change is being re-read: order is kept, nothing leaks. */
  held: { envelope: EventEnvelope; keep: (envelope: EventEnvelope) => boolean }[] | null = null;
  /** A meeting's subscription: membership events only decide whether it may go on. */
  meetingOnly = false;

  constructor(
    readonly connection: WsConnection | undefined,
    watch: (subscription: Subscription) => LiveSession,
  ) {
    this.session = watch(this);
  }

  push(envelope: EventEnvelope | NotificationEnvelope): void {
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
    this.session.release();
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

  constructor(
    private readonly streams: EventStreams,
    private readonly live: LiveSessions,
    private readonly metrics: Metrics,
    private readonly feed: NotificationFeed,
  ) {}

  /**
   * The member's own notifications: with `after` (an inbox position), first those they missed, read by
   * `missed`, then live ones; live ones that arrive during the catch-up wait behind it, and none comes twice.
   * Each is checked against the member's memberships as the live-session watch keeps them.
   */
  async notifications(
    connected: Actor,
    connection: WsConnection | undefined,
    after: number | undefined,
    missed: (actor: Actor, after: number) => Promise<NotificationPayload[]>,
  ) {
    const subscription = new Subscription(connection, (s) =>
      this.live.watch(connected, { end: (reason) => s.end(CLOSE_FOR[reason]) }),
    );
    const { session } = subscription;
    let actor: Actor;
    try {
      actor = await session.refresh();
    } catch (error) {
      subscription.end();
      throw error;
    }
    const sent = new Set<number>();
    const push = (notification: NotificationPayload) => {
      if (session.expired) return subscription.end(TOKEN_EXPIRED);
      if (sent.has(notification.id) || !can(session.actor, 'events.read', notification.taskForceId)) return;
      sent.add(notification.id);
      subscription.push(notificationEnvelope(notification));
      this.metrics.notificationsDelivered.inc({ kind: notification.kind, transport: 'graphql-ws' });
    };
    let waiting: NotificationPayload[] | null = [];
    subscription.detachers.push(
      this.feed.listen((notification) => {
        if (notification.memberId !== actor.memberId) return;
        if (waiting) waiting.push(notification);
        else push(notification);
      }),
    );
    try {
      if (after !== undefined) {
        this.metrics.catchUps.inc({ transport: 'graphql-ws' });
        for (const notification of await missed(actor, after)) push(notification);
      }
    } catch (error) {
      subscription.end();
      throw error;
    }
    const held = waiting;
    waiting = null;
    held.sort((a, b) => a.id - b.id).forEach(push);
    return subscription;
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
    const subscription = new Subscription(connection, (s) =>
      this.live.watch(connected, { end: (reason) => s.end(CLOSE_FOR[reason]) }),
    );
    const { session } = subscription;
    subscription.meetingOnly = sources.every((source) => source.meetingId);
    let actor: Actor;
    try {
      // Memberships as they are now: a connection may have been opened before the member was removed.
      actor = await session.refresh();
      for (const source of sources) assertCan(actor, 'events.read', source.taskForceId);
    } catch (error) {
      subscription.end();
      throw error;
    }
    for (const source of sources) {
      if (source.after !== undefined) this.metrics.catchUps.inc({ transport: 'graphql-ws' });
      session.recordJoin('live.subscribed', source);
    }
    try {
      for (const source of sources) {
        const { detach } = await this.streams.attach(
          source.taskForceId,
          {
            audience: audienceOf(actor),
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
    const { session } = subscription;
    if (session.expired) return subscription.end(TOKEN_EXPIRED);
    const { actor } = session;
    if (!can(actor, 'events.read', envelope.taskForceId)) return subscription.end();
    const aboutAccess = isEventOf(envelope, 'membership');
    if (aboutAccess && envelope.data?.memberId === actor.memberId) {
      // Our own membership changed: re-read it before anything else is delivered.
      subscription.held = [];
      void this.recheck(subscription, envelope, keep);
      return;
    }
    // Membership changes reach meeting subscriptions only so that they can end; they are not the meeting's events.
    if (subscription.meetingOnly && aboutAccess) return;
    if (!keep(envelope)) return;
    subscription.push(envelope);
    this.metrics.eventsDelivered.inc({ transport: 'graphql-ws' });
  }

  private async recheck(
    subscription: Subscription,
    envelope: EventEnvelope,
    keep: (envelope: EventEnvelope) => boolean,
  ): Promise<void> {
    let actor: Actor;
    try {
      actor = await subscription.session.refresh();
    } catch {
      return subscription.end(SESSION_ENDED);
    }
    const held = subscription.held ?? [];
    subscription.held = null;
    if (!can(actor, 'events.read', envelope.taskForceId)) {
      this.logger.log(
        `subscription of member ${actor.memberId} ended: no longer in task force ${envelope.taskForceId}`,
      );
      return subscription.end();
    }
    if (keep(envelope) && !subscription.meetingOnly) subscription.push(envelope);
    for (const next of held) this.deliver(subscription, next.envelope, next.keep);
  }
}

export function notificationEnvelope(notification: NotificationPayload): NotificationEnvelope {
  return {
    type: 'notification.created',
    taskForceId: notification.taskForceId,
    cursor: notification.id,
    at: notification.createdAt,
    actorId: null,
    data: notification,
  };
}
