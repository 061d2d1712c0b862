import { Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ActionItemsModule } from '@hub/action-items';
import { AuditModule } from '@hub/audit';
import { CaseSummariesModule } from '@hub/case-summaries';
import { HUB_CONFIG, HubConfig } from '@hub/core';
import { ExportsModule } from '@hub/exports';
import { FollowUpModule } from '@hub/follow-up';
import { IdentityModule } from '@hub/identity';
import { MeetingsModule } from '@hub/meetings';
import { ReportsModule } from '@hub/reports';
import { NotificationsModule } from '@hub/notifications';
import { ServiceAccountsModule } from '@hub/service-accounts';
import { ReferralsModule } from '@hub/referrals';
import { TaskForcesModule } from '@hub/task-forces';
import {
  ActionItemChangesResolver,
  ActionItemCommentsResolver,
  ActionItemsResolver,
} from './action-items/action-items.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { AuthGuard } from './auth/auth.guard';
import { AuthResolver } from './auth/auth.resolver';
import { MutationRateGuard } from './auth/mutation-rate.guard';
import { CaseSummariesResolver, CaseSummaryRevisionsResolver } from './case-summaries/case-summaries.resolver';
import { ExportsController } from './exports/exports.controller';
import { ReportsController } from './reports/reports.controller';
import { ReportsResolver } from './reports/reports.resolver';
import { loginAccountTracker } from './auth/login-throttle.guard';
import { FollowUpResolver } from './follow-up/follow-up.resolver';
import { HubGraphQLModule } from './graphql/graphql.module';
import { GraphQLWsPayloadLimit } from './graphql/limits';
import { hubValidationPipe, SharedThrottlerStorage } from '@hub/platform';
import {
  AgendaItemsResolver,
  AttendanceResolver,
  DecisionsResolver,
  MeetingsResolver,
  MinuteNotesResolver,
} from './meetings/meetings.resolver';
import { LiveResolver } from './live/live.resolver';
import { LiveSubscriptions } from './live/live-subscriptions';
import { MembersResolver } from './members/members.resolver';
import { NotificationsResolver } from './notifications/notifications.resolver';
import { ServiceAccountsResolver } from './service-accounts/service-accounts.resolver';
import { MeetingHearingsResolver, ReferralsResolver } from './referrals/referrals.resolver';
import { MembershipsResolver, TaskForcesResolver } from './task-forces/task-forces.resolver';

/** The GraphQL API: resolvers only wire requests to the domain libraries. Needs PlatformModule. */
@Module({
  imports: [
    IdentityModule,
    TaskForcesModule,
    AuditModule,
    CaseSummariesModule,
    MeetingsModule,
    ActionItemsModule,
    ExportsModule,
    ReportsModule,
    NotificationsModule,
    ServiceAccountsModule,
    ReferralsModule,
    FollowUpModule,
    HubGraphQLModule,
    // Applied only where LoginThrottleGuard is used (login, refreshToken).
    ThrottlerModule.forRootAsync({
      inject: [HUB_CONFIG, SharedThrottlerStorage],
      useFactory: ({ loginRateLimit }: HubConfig, storage: SharedThrottlerStorage) => ({
        storage,
        throttlers: [
          { name: 'address', limit: loginRateLimit.attempts, ttl: loginRateLimit.windowSeconds * 1000 },
          {
            name: 'account',
            limit: loginRateLimit.attempts,
            ttl: loginRateLimit.windowSeconds * 1000,
            getTracker: loginAccountTracker,
          },
        ],
      }),
    }),
  ],
  controllers: [ExportsController, ReportsController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    // After AuthGuard, which puts the member on the request.
    { provide: APP_GUARD, useClass: MutationRateGuard },
    { provide: APP_PIPE, useFactory: hubValidationPipe },
    AuthResolver,
    FollowUpResolver,
    MembersResolver,
    ReferralsResolver,
    MeetingHearingsResolver,
    TaskForcesResolver,
    MembershipsResolver,
    AuditResolver,
    CaseSummariesResolver,
    CaseSummaryRevisionsResolver,
    MeetingsResolver,
    AgendaItemsResolver,
    AttendanceResolver,
    MinuteNotesResolver,
    DecisionsResolver,
    ActionItemsResolver,
    ActionItemCommentsResolver,
    ActionItemChangesResolver,
    ReportsResolver,
    ServiceAccountsResolver,
    LiveSubscriptions,
    LiveResolver,
    NotificationsResolver,
    GraphQLWsPayloadLimit,
  ],
})
export class ApiModule {}
