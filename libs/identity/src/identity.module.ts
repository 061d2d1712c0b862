import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '@hub/audit';
import { HUB_CONFIG, HubConfig, Metrics } from '@hub/core';
import { LiveSessions, SESSION_LOOKUP } from '@hub/events';
import { accessTokenKey } from './access-token.key';
import { ActorCache } from './actor-cache';
import { ActorCacheListener } from './actor-cache.listener';
import { AgenciesRepository } from './agencies.repository';
import { AgenciesService } from './agencies.service';
import { Agency } from './agency.entity';
import { AuthSession, RefreshToken } from './auth-session.entity';
import { AuthService } from './auth.service';
import { LiveSessionsRepository } from './live-sessions.repository';
import { Member } from './member.entity';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { Membership } from './membership.entity';
import { MembershipsRepository } from './memberships.repository';
import { MembershipsService } from './memberships.service';
import { PasswordHasher } from './password.hasher';

@Module({
  imports: [
    MikroOrmModule.forFeature([Agency, Member, Membership, AuthSession, RefreshToken]),
    JwtModule.registerAsync({
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) => ({
        secret: accessTokenKey(config.accessTokenSecret),
        signOptions: { algorithm: 'HS256' },
      }),
    }),
    AuditModule,
  ],
  providers: [
    {
      provide: ActorCache,
      inject: [HUB_CONFIG, Metrics],
      useFactory: (config: HubConfig, metrics: Metrics) =>
        new ActorCache({
          ttlMs: config.actorCacheTtlMs,
          count: (outcome, n = 1) => metrics.actorCache.inc({ outcome }, n),
        }),
    },
    ActorCacheListener,
    PasswordHasher,
    AuthService,
    MembersService,
    MembershipsService,
    AgenciesService,
    MembersRepository,
    MembershipsRepository,
    AgenciesRepository,
    LiveSessionsRepository,
    // One watch over every live connection of the process (Socket.IO and graphql-ws alike).
    { provide: SESSION_LOOKUP, useExisting: LiveSessionsRepository },
    LiveSessions,
  ],
  exports: [
    PasswordHasher,
    AuthService,
    MembersService,
    MembershipsService,
    AgenciesService,
    MembersRepository,
    MembershipsRepository,
    AgenciesRepository,
    LiveSessions,
  ],
})
export class IdentityModule {}
