import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module } from '@nestjs/common';
import { WEBHOOK_DISABLED_NOTIFIER } from '@hub/service-accounts';
import { EmailOutbox, Notification, NotificationPreference, ReminderSnooze, ReminderStep } from './notification.entity';
import { EmailOutboxService } from './email/email-outbox.service';
import { NotificationFeed } from './notification-feed';
import { NotificationsReactor } from './notifications.reactor';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';
import { ReminderSweep } from './reminder-sweep';
import { WebhookDisabledAlerts } from './webhook-alerts';

/**
 * The inbox, the notifications that follow from domain events, the reminder sweep, live delivery
 * and opt-in e-mail. Every deployable that writes or serves live connections imports it. Global so
 * that the webhook dispatcher (libs/service-accounts) finds WEBHOOK_DISABLED_NOTIFIER without
 * importing this module back.
 */
@Global()
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
    { provide: WEBHOOK_DISABLED_NOTIFIER, useClass: WebhookDisabledAlerts },
  ],
  exports: [NotificationsService, ReminderSweep, NotificationFeed, EmailOutboxService, WEBHOOK_DISABLED_NOTIFIER],
})
export class NotificationsModule {}
