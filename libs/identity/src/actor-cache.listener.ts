import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type BusMessage, EVENT_BUS, type EventBus, isEventOf } from '@hub/events';
import { ActorCache } from './actor-cache';

/**
 * Drops cached actors when the bus says they changed, on every instance (the bus brings an instance
 * its own events too). The bus, not a task force's stream: an instance holds actors of members whose
 * task forces nobody here listens to.
 */
@Injectable()
export class ActorCacheListener implements OnApplicationBootstrap {
  constructor(
    private readonly cache: ActorCache,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    if (this.cache.enabled) this.bus.subscribe((message) => this.receive(message));
  }

  receive(message: BusMessage): void {
    if (message.kind === 'system') {
      if (message.type === 'session.revoked') this.cache.forgetSession(message.data.memberId, message.data.sessionId);
      else if (message.type === 'member.disabled' || message.type === 'member.rolesChanged')
        this.cache.forgetMember(message.data.memberId);
      return;
    }
    const { envelope } = message;
    if (isEventOf(envelope, 'membership') && envelope.data) this.cache.forgetMember(envelope.data.memberId);
  }
}
