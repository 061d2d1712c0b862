import { Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@hub/audit';
import { HUB_CONFIG, HubConfig } from '@hub/core';
import { IdentityModule } from '@hub/identity';
import { TaskForcesModule } from '@hub/task-forces';
import { AuditResolver } from './audit/audit.resolver';
import { AuthGuard } from './auth/auth.guard';
import { AuthResolver } from './auth/auth.resolver';
import { loginAccountTracker } from './auth/login-throttle.guard';
import { HubGraphQLModule } from './graphql/graphql.module';
import { hubValidationPipe } from './graphql/validation.pipe';
import { MembersResolver } from './members/members.resolver';
import { MembershipsResolver, TaskForcesResolver } from './task-forces/task-forces.resolver';

/** The GraphQL API: resolvers only wire requests to the domain libraries. Needs PlatformModule. */
@Module({
  imports: [
    IdentityModule,
    TaskForcesModule,
    AuditModule,
    HubGraphQLModule,
    // Applied only where LoginThrottleGuard is used (login, refreshToken).
    ThrottlerModule.forRootAsync({
      inject: [HUB_CONFIG],
      useFactory: ({ loginRateLimit }: HubConfig) => ({
        throttlers: [
          { name: 'address', limit: loginRateLimit.attempts, ttl: loginRateLimit.windowSeconds * 1000 },
          { name: 'account', limit: loginRateLimit.attempts, ttl: loginRateLimit.windowSeconds * 1000, getTracker: loginAccountTracker },
        ],
      }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_PIPE, useFactory: hubValidationPipe },
    AuthResolver,
    MembersResolver,
    TaskForcesResolver,
    MembershipsResolver,
    AuditResolver,
  ],
})
export class ApiModule {}
