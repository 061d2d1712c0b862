import { Injectable } from '@nestjs/common';
import { Clock } from '@hub/core';
import { WriteTransaction } from '@hub/events';
import type { WebhookDisabled, WebhookDisabledNotifier } from '@hub/service-accounts';
import { Notifier } from './notifier';
import { TaskForceRecipients } from './recipients';

/**
 * Tells a task force's coordinators, in their inbox, that one of its webhooks was disabled after a day
 * of failures. The dispatcher disables an endpoint with a conditional update and calls this once.
 */
@Injectable()
export class WebhookDisabledAlerts implements WebhookDisabledNotifier {
  constructor(
    private readonly writes: WriteTransaction,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  async endpointDisabled(notice: WebhookDisabled): Promise<void> {
    await this.writes.run(async (em, events) => {
      const people = new TaskForceRecipients(em, notice.taskForceId);
      await this.notifier.write(
        em,
        events,
        {
          taskForceId: notice.taskForceId,
          kind: 'WEBHOOK_DISABLED',
          subjectType: 'webhook',
          subjectId: notice.endpointId,
          urgent: true,
          to: await people.coordinators(),
        },
        this.clock.now(),
        people,
      );
    });
  }
}
