import { EntityManager } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AuditService } from '@hub/audit';
import { HUB_CONFIG, type HubConfig, loggableError } from '@hub/core';
import { DomainEvent, type EventEnvelope, idsOf, isHubEventType, redactFor, WriteTransaction } from '@hub/events';
import { Membership } from '@hub/identity';
import { Webhook } from 'standardwebhooks';
import { ServiceAccount, WebhookDelivery, WebhookEndpoint } from './service-account.entity';

/** How long one instance owns an endpoint per round; a round stops sending well before it runs out. */
const LEASE_MS = 60_000;
const EVENTS_PER_SCAN = 200;

/** What a receiver gets: the envelope and ids, never content. It reads the rest with its key. */
export interface WebhookBody {
  type: string;
  taskForceId: string;
  cursor: number;
  at: string;
  actorId: string | null;
  /** The payload's own ids (meetingId, actionItemId, …); empty when the content is withheld from the account's agency. */
  ids: Record<string, string>;
  withheld: boolean;
}

/** Told when an endpoint is disabled after failing for a day (ids only). */
export interface WebhookDisabled {
  endpointId: string;
  serviceAccountId: string;
  taskForceId: string;
  failingSince: Date;
}

/**
 * The hook for telling a task force's coordinators that one of their webhooks was disabled, besides the
 * audit (`webhook.disabled`) and the log. The notifications module provides it (their inbox; ids only:
 * a webhook's URL may name an agency's system).
 */
export const WEBHOOK_DISABLED_NOTIFIER = Symbol('WEBHOOK_DISABLED_NOTIFIER');
export interface WebhookDisabledNotifier {
  endpointDisabled(notice: WebhookDisabled): Promise<void>;
}

/**
 * Delivers thin webhooks from the event log. Each round, for every endpoint no other instance holds,
 * it claims a lease with one conditional UPDATE (so exactly one instance works an endpoint at a time),
 * turns new events of the chosen types into delivery rows (unique per endpoint and cursor, so an event
 * is never queued twice), then sends pending deliveries strictly in cursor order: a failure stops the
 * endpoint's round and is retried with exponential backoff; a day of failures disables the endpoint.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly writes: WriteTransaction,
    private readonly audit: AuditService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Optional() @Inject(WEBHOOK_DISABLED_NOTIFIER) private readonly notifier?: WebhookDisabledNotifier,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.webhooks.pollMs) return;
    this.timer = setInterval(() => void this.tick(), this.config.webhooks.pollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
  }

  /** One round over every endpoint; overlapping calls share it. */
  tick(): Promise<void> {
    this.round ??= this.runRound()
      .catch((error) => this.logger.warn({ error: loggableError(error) }, 'webhook round failed'))
      .finally(() => (this.round = null));
    return this.round;
  }

  private async runRound(): Promise<void> {
    const now = new Date();
    const free = { $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] };
    const endpoints = await this.em
      .fork()
      .find(
        WebhookEndpoint,
        { disabledAt: null, serviceAccount: { disabledAt: null }, ...free },
        { fields: ['id'], limit: 100 },
      );
    for (const { id } of endpoints) {
      if (this.stopped) return;
      const leaseUntil = new Date(Date.now() + LEASE_MS);
      const claimed = await this.em.fork().nativeUpdate(WebhookEndpoint, { id, ...free }, { leaseUntil });
      if (claimed !== 1) continue; // another instance has it
      try {
        await this.work(id, leaseUntil);
      } finally {
        await this.em.fork().nativeUpdate(WebhookEndpoint, { id, leaseUntil }, { leaseUntil: null });
      }
    }
  }

  private async work(id: string, leaseUntil: Date): Promise<void> {
    const em = this.em.fork();
    const endpoint = await em.findOneOrFail(WebhookEndpoint, { id }, { populate: ['serviceAccount.agency'] });
    const account = endpoint.serviceAccount;
    // Removed from its task force: it may read nothing there any more, so nothing is sent.
    if (!(await em.count(Membership, { member: account.member.id, taskForce: account.taskForce.id }))) return;
    await this.enqueue(endpoint, account);
    const { timeoutMs } = this.config.webhooks;
    for (;;) {
      if (this.stopped || Date.now() + timeoutMs * 2 > leaseUntil.getTime()) return;
      const next = await this.em
        .fork()
        .findOne(WebhookDelivery, { endpoint: endpoint.id, status: 'PENDING' }, { orderBy: { cursor: 'asc' } });
      if (!next || next.nextAttemptAt.getTime() > Date.now()) return;
      if (!(await this.attempt(endpoint, account, next))) return;
    }
  }

  /** New events of the chosen types become deliveries; the scan position moves in the same transaction. */
  private async enqueue(endpoint: WebhookEndpoint, account: ServiceAccount): Promise<void> {
    for (;;) {
      const events = await this.em
        .fork()
        .find(
          DomainEvent,
          { taskForceId: account.taskForce.id, cursor: { $gt: endpoint.scannedCursor } },
          { orderBy: { cursor: 'asc' }, limit: EVENTS_PER_SCAN, fields: ['cursor', 'type'] },
        );
      if (!events.length) return;
      const wanted = new Set(endpoint.eventTypes);
      const last = events[events.length - 1].cursor as number;
      await this.writes.run(async (em) => {
        for (const event of events)
          if (wanted.has(event.type))
            em.create(WebhookDelivery, {
              endpoint: endpoint.id,
              cursor: event.cursor as number,
              eventType: event.type,
            });
        await em.nativeUpdate(WebhookEndpoint, { id: endpoint.id }, { scannedCursor: last });
      });
      endpoint.scannedCursor = last;
      if (events.length < EVENTS_PER_SCAN) return;
    }
  }

  /** Sends one delivery; true when the receiver took it. */
  private async attempt(
    endpoint: WebhookEndpoint,
    account: ServiceAccount,
    delivery: WebhookDelivery,
  ): Promise<boolean> {
    const em = this.em.fork();
    const event = await em.findOne(DomainEvent, { taskForceId: account.taskForce.id, cursor: delivery.cursor });
    const body = event ? this.bodyOf(event, account) : null;
    let statusCode: number | null = null;
    let error: string | null = null;
    if (!body) error = 'the event is no longer in the log';
    else
      try {
        const payload = JSON.stringify(body);
        const timestamp = new Date();
        const signature = new Webhook(endpoint.secret).sign(delivery.messageId, timestamp, payload);
        const response = await fetch(endpoint.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(this.config.webhooks.timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'TaskForceHub-Webhooks/1',
            'webhook-id': delivery.messageId,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body: payload,
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (statusCode < 200 || statusCode >= 300) error = `answered HTTP ${statusCode}`;
      } catch (failure) {
        error = (failure as Error).name === 'TimeoutError' ? 'timed out' : 'could not connect';
      }
    const now = new Date();
    const attempts = delivery.attempts + 1;
    if (!error) {
      await em.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id },
        { status: 'DELIVERED', attempts, deliveredAt: now, lastStatusCode: statusCode, lastError: null },
      );
      if (endpoint.failingSince) {
        endpoint.failingSince = null;
        await em.nativeUpdate(WebhookEndpoint, { id: endpoint.id }, { failingSince: null });
      }
      return true;
    }
    const { retryBaseMs, retryMaxMs, giveUpAfterMs } = this.config.webhooks;
    const wait = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    await em.nativeUpdate(
      WebhookDelivery,
      { id: delivery.id },
      { attempts, nextAttemptAt: new Date(now.getTime() + wait), lastStatusCode: statusCode, lastError: error },
    );
    const failingSince = endpoint.failingSince ?? now;
    if (!endpoint.failingSince) {
      endpoint.failingSince = failingSince;
      await em.nativeUpdate(WebhookEndpoint, { id: endpoint.id }, { failingSince });
    }
    if (now.getTime() - failingSince.getTime() >= giveUpAfterMs) await this.disable(endpoint, account, failingSince);
    return false;
  }

  private bodyOf(event: DomainEvent, account: ServiceAccount): WebhookBody | null {
    if (!isHubEventType(event.type) || event.cursor == null || !event.taskForceId) return null;
    const envelope = {
      type: event.type,
      taskForceId: event.taskForceId,
      cursor: event.cursor,
      at: event.at.toISOString(),
      actorId: event.actorId ?? null,
      data: event.data,
    } as EventEnvelope;
    // Ids only leave the hub; a referral's shares would add no field here, so the agency kind's view is enough.
    const seen = redactFor(envelope, { kind: account.agency.kind, agencyId: account.agency.id });
    return {
      type: envelope.type,
      taskForceId: envelope.taskForceId,
      cursor: envelope.cursor,
      at: envelope.at,
      actorId: envelope.actorId,
      ids: seen.data ? idsOf(envelope.type, seen.data as Record<string, unknown>) : {},
      withheld: seen.withheld === true,
    };
  }

  private async disable(endpoint: WebhookEndpoint, account: ServiceAccount, failingSince: Date): Promise<void> {
    const disabled = await this.writes.run(async (em) => {
      const changed = await em.nativeUpdate(
        WebhookEndpoint,
        { id: endpoint.id, disabledAt: null },
        { disabledAt: new Date(), disabledReason: 'failing' },
      );
      this.audit.record(em, {
        action: 'webhook.disabled',
        actorId: null,
        taskForceId: account.taskForce.id,
        subjectType: 'WebhookEndpoint',
        subjectId: endpoint.id,
        details: { serviceAccountId: account.id, failingSince: failingSince.toISOString() },
      });
      return changed === 1;
    });
    if (!disabled) return; // someone disabled it meanwhile: told once, by whoever did
    const notice = {
      endpointId: endpoint.id,
      serviceAccountId: account.id,
      taskForceId: account.taskForce.id,
      failingSince,
    };
    this.logger.warn(notice, 'webhook disabled after failing for too long');
    await this.notifier?.endpointDisabled(notice);
  }
}
