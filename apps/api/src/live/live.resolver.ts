import { Args, Context, ID, Int, Resolver, Subscription } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { MeetingsService } from '@hub/meetings';
import { NotificationsService, toPayload } from '@hub/notifications';
import { GraphQLContext } from '../graphql/context';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { LiveEventModel } from './live-event.model';
import { LiveSubscriptions } from './live-subscriptions';

const passThrough = { resolve: (event: LiveEventModel) => event };

/** graphql-ws subscriptions: the same streams, access checks, redaction and catch-up as the Socket.IO rooms. */
@Resolver()
export class LiveResolver {
  constructor(
    private readonly live: LiveSubscriptions,
    private readonly meetings: MeetingsService,
    private readonly notifications: NotificationsService,
  ) {}

  @Subscription(() => LiveEventModel, {
    ...passThrough,
    description: "A task force's events. Pass after = the last cursor you saw to catch up first.",
  })
  taskForceEvents(
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
    @Args('after', { type: () => Int, nullable: true }) after?: number,
  ) {
    return this.live.open(actor, context.connection, [{ taskForceId, after: after ?? undefined }]);
  }

  @Subscription(() => LiveEventModel, {
    ...passThrough,
    description: "A meeting's live state: agenda, attendance, notes, decisions, its action items.",
  })
  async meetingEvents(
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
    @Args('after', { type: () => Int, nullable: true }) after?: number,
  ) {
    const taskForceId = await this.meetings.taskForceOf(actor, meetingId);
    return this.live.open(actor, context.connection, [{ taskForceId, meetingId, after: after ?? undefined }]);
  }

  @Subscription(() => LiveEventModel, {
    ...passThrough,
    description:
      'Your inbox, live (type notification.created, data the Notification as JSON, cursor its inbox position), ' +
      'from every task force you belong to. Pass after = the last cursor you saw to catch up first.',
  })
  myNotifications(
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
    @Args('after', { type: () => Int, nullable: true }) after?: number,
  ) {
    return this.live.notifications(actor, context.connection, after ?? undefined, async (current, from) =>
      (await this.notifications.since(current, from)).map(toPayload),
    );
  }
}
