import { Injectable, OnModuleInit } from '@nestjs/common';
import type { NotificationPayload } from '@hub/contracts';
import { EventStreams } from '@hub/events';

type Handler = (notification: NotificationPayload) => void;

/** How many recent inbox positions each instance remembers to drop a second copy (two relays may publish one row). */
const REMEMBERED = 10_000;

/**
 * The instance's side of live delivery: every instance hears every `notification.created` system
 * event from the bus, once each, and hands it to whoever on this instance serves that member
 * (graphql-ws subscriptions, the Socket.IO gateway). Access is checked by those, per connection.
 */
@Injectable()
export class NotificationFeed implements OnModuleInit {
  private readonly handlers = new Set<Handler>();
  private readonly seen = new Set<number>();

  constructor(private readonly streams: EventStreams) {}

  onModuleInit(): void {
    this.streams.onSystemEvent((event) => {
      if (event.type !== 'notification.created') return;
      if (this.seen.has(event.data.id)) return;
      this.seen.add(event.data.id);
      // A Set iterates in insertion order: its first entry is the oldest.
      if (this.seen.size > REMEMBERED) for (const oldest of this.seen) if (this.seen.delete(oldest)) break;
      for (const handler of this.handlers) handler(event.data);
    });
  }

  /** Every notification this instance hears of, for any member. Returns how to stop. */
  listen(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
