import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { type Actor } from '@hub/access';
import { type SessionLookup } from '@hub/events';
import { AuthService } from './auth.service';
import { readLiveActors } from './live-actors.read';

/**
 * The sessions the live watch holds, read for it: one at a time as AuthService reads them, or all at
 * once for the periodic re-check (two statements per thousand sessions, whatever the members or sockets).
 */
@Injectable()
export class LiveSessionsRepository implements SessionLookup {
  constructor(
    private readonly em: EntityManager,
    private readonly auth: AuthService,
  ) {}

  actorFor(memberId: string, sessionId: string, ip: string | null): Promise<Actor> {
    return this.auth.actorForSession(memberId, sessionId, ip);
  }

  liveActors(sessionIds: readonly string[]): Promise<Map<string, Actor>> {
    return readLiveActors(this.em, sessionIds);
  }
}
