import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { EmailOutbox, Notification, NotificationPreference, ReminderSnooze, ReminderStep } from './notification.entity';
import { EmailOutboxService } from './email/email-outbox.service';
import { NotificationFeed } from './notification-feed';
import { NotificationsReactor } from './notifications.reactor';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';
import { ReminderSweep } from './reminder-sweep';

/**
 * The inbox, the notifications that follow from domain events, the reminder sweep, live delivery
 * and opt-in e-mail. Every deployable that writes or serves live connections imports it.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([Notification, ReminderStep, ReminderSnooze, NotificationPreference, EmailOutbox]),
  ],
  providers: [
    Notifier,
    NotificationsReactor,
    NotificationsService,
    ReminderSweep,
    NotificationFeed,
    EmailOutboxService,
  ],
  exports: [NotificationsService, ReminderSweep, NotificationFeed, EmailOutboxService],
})
export class NotificationsModule {}
