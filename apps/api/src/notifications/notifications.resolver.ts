import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { inboxCursor, NotificationsService } from '@hub/notifications';
import { ActionItemModel } from '../action-items/action-item.model';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { InboxArgs, NotificationPreferencesInput, SnoozeArgs } from './notifications.input';
import { NotificationModel, NotificationPageModel, NotificationPreferencesModel } from './notifications.model';

@Resolver()
export class NotificationsResolver {
  constructor(private readonly service: NotificationsService) {}

  @Query(() => NotificationPageModel, { description: 'Your inbox, newest first, from every task force you belong to.' })
  async notifications(
    @CurrentActor() actor: Actor,
    @Args() { first, after, unreadOnly }: InboxArgs,
  ): Promise<NotificationPageModel> {
    const page = await this.service.inbox(actor, first, after, unreadOnly);
    const last = page.items.at(-1);
    return {
      nodes: page.items.map(NotificationModel.from),
      pageInfo: { endCursor: last ? inboxCursor(last) : null, hasNextPage: page.hasNextPage },
    };
  }

  @Query(() => Int, { description: 'How many notifications of your inbox are unread.' })
  unreadNotificationCount(@CurrentActor() actor: Actor): Promise<number> {
    return this.service.unreadCount(actor);
  }

  @Mutation(() => NotificationModel)
  async markNotificationRead(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => Int }) id: number,
  ): Promise<NotificationModel> {
    return NotificationModel.from(await this.service.markRead(actor, id));
  }

  @Mutation(() => Int, { description: 'Marks your whole inbox read; answers how many were unread.' })
  markAllNotificationsRead(@CurrentActor() actor: Actor): Promise<number> {
    return this.service.markAllRead(actor);
  }

  @Query(() => NotificationPreferencesModel)
  async notificationPreferences(@CurrentActor() actor: Actor): Promise<NotificationPreferencesModel> {
    return NotificationPreferencesModel.from(await this.service.preferences(actor));
  }

  @Mutation(() => NotificationPreferencesModel, {
    description: 'E-mail is opt in; the inbox works whatever you choose.',
  })
  async setNotificationPreferences(
    @CurrentActor() actor: Actor,
    @Args('input') input: NotificationPreferencesInput,
  ): Promise<NotificationPreferencesModel> {
    return NotificationPreferencesModel.from(await this.service.setPreferences(actor, input));
  }

  @Mutation(() => ActionItemModel, {
    description: "Holds an item's reminders until a day; the reason goes into its history.",
  })
  async snoozeActionItemReminders(
    @CurrentActor() actor: Actor,
    @Args() { actionItemId, until, reason }: SnoozeArgs,
  ): Promise<ActionItemModel> {
    return ActionItemModel.from(await this.service.snooze(actor, actionItemId, until, reason));
  }
}
