import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { EmailOutbox, Notification, NotificationPreference, ReminderSnooze, ReminderStep } from './notification.entity';
import { NotificationFeed } from './notification-feed';
import { NotificationsReactor } from './notifications.reactor';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';
import { ReminderSweep } from './reminder-sweep';

/**
 * The inbox, the notifications that follow from domain events, the reminder sweep and live
 * delivery. Every deployable that writes or serves live connections imports it.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([Notification, ReminderStep, ReminderSnooze, NotificationPreference, EmailOutbox]),
  ],
  providers: [Notifier, NotificationsReactor, NotificationsService, ReminderSweep, NotificationFeed],
  exports: [NotificationsService, ReminderSweep, NotificationFeed],
})
export class NotificationsModule {}
