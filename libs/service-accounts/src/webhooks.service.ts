import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, assertCan, canSeeTaskForce, refuseAggregatesOnly } from '@hub/access';
import { AuditService } from '@hub/audit';
import { assertPageSize, badInput, notFound } from '@hub/core';
import { EventCursor, isHubEventType, WriteTransaction } from '@hub/events';
import { randomBytes } from 'node:crypto';
import { accountDisabled, badWebhookUrl, unknownEventType } from './service-accounts.errors';
import { ServiceAccount, WebhookDelivery, WebhookEndpoint } from './service-account.entity';

/** Plain HTTP is accepted only to this machine, for developing a receiver. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function checkWebhookUrl(raw: string): string {
  const text = raw.trim();
  if (text.length > 2000) throw badWebhookUrl('is longer than 2000 characters');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badWebhookUrl('is not a URL (example: https://example.org/hub-webhook)');
  }
  if (url.username || url.password) throw badWebhookUrl('must not contain a user name or password');
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url.toString();
  throw badWebhookUrl('must use https:// (plain http:// only to 127.0.0.1 or localhost, for development)');
}

export interface RegisteredWebhook {
  endpoint: WebhookEndpoint;
  /** The signing secret: shown once. */
  secret: string;
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly writes: WriteTransaction,
    private readonly audit: AuditService,
  ) {}

  /**
   * Registers an endpoint for some of the task force's event types. It receives events from now on,
   * each once and in cursor order; what happened before is read with the API (`after`).
   */
  async register(
    actor: Actor,
    input: { serviceAccountId: string; url: string; eventTypes: string[] },
  ): Promise<RegisteredWebhook> {
    const url = checkWebhookUrl(input.url);
    const eventTypes = [...new Set(input.eventTypes)];
    if (!eventTypes.length) throw badInput('eventTypes', 'Choose at least one event type.');
    for (const type of eventTypes) if (!isHubEventType(type)) throw unknownEventType(type);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    return this.writes.run(async (em) => {
      const account = await this.account(em, actor, input.serviceAccountId);
      if (account.disabledAt) throw accountDisabled();
      const counter = await em.findOne(EventCursor, { taskForceId: account.taskForce.id });
      const endpoint = em.create(WebhookEndpoint, {
        serviceAccount: account,
        url,
        eventTypes: eventTypes.sort(),
        secret,
        scannedCursor: counter?.lastCursor ?? 0,
      });
      this.audit.record(em, {
        action: 'webhook.created',
        actorId: actor.memberId,
        taskForceId: account.taskForce.id,
        subjectType: 'WebhookEndpoint',
        subjectId: endpoint.id,
        ip: actor.ip,
        details: { serviceAccountId: account.id, eventTypes: endpoint.eventTypes },
      });
      return { endpoint, secret };
    });
  }

  async list(actor: Actor, serviceAccountId: string): Promise<WebhookEndpoint[]> {
    await this.account(this.em, actor, serviceAccountId);
    return this.em.find(WebhookEndpoint, { serviceAccount: serviceAccountId }, { orderBy: { createdAt: 'asc' } });
  }

  /** The delivery log, newest first: cursor, type, attempts, the last status; never a payload. */
  async deliveries(actor: Actor, endpointId: string, first: number): Promise<WebhookDelivery[]> {
    assertPageSize(first, 200);
    const endpoint = await this.endpoint(this.em, actor, endpointId);
    return this.em.find(WebhookDelivery, { endpoint }, { orderBy: { cursor: 'desc' }, limit: first });
  }

  /** Turns a disabled endpoint on again: what is still pending is delivered, in order. */
  async enable(actor: Actor, endpointId: string): Promise<WebhookEndpoint> {
    return this.writes.run(async (em) => {
      const endpoint = await this.endpoint(em, actor, endpointId);
      endpoint.disabledAt = null;
      endpoint.disabledReason = null;
      endpoint.failingSince = null;
      await em.nativeUpdate(WebhookDelivery, { endpoint, status: 'PENDING' }, { nextAttemptAt: new Date() });
      return endpoint;
    });
  }

  async remove(actor: Actor, endpointId: string): Promise<WebhookEndpoint> {
    return this.writes.run(async (em) => {
      const endpoint = await this.endpoint(em, actor, endpointId);
      this.audit.record(em, {
        action: 'webhook.deleted',
        actorId: actor.memberId,
        taskForceId: endpoint.serviceAccount.taskForce.id,
        subjectType: 'WebhookEndpoint',
        subjectId: endpoint.id,
        ip: actor.ip,
      });
      await em.nativeDelete(WebhookDelivery, { endpoint });
      em.remove(endpoint);
      return endpoint;
    });
  }

  /** The account's coordinators (or an administrator) manage its webhooks, and so may the account itself. */
  private async account(em: EntityManager, actor: Actor, id: string): Promise<ServiceAccount> {
    const account = await em.findOne(ServiceAccount, { id });
    if (!account) throw notFound('The service account');
    this.assertManages(actor, account);
    return account;
  }

  private async endpoint(em: EntityManager, actor: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await em.findOne(WebhookEndpoint, { id }, { populate: ['serviceAccount'] });
    if (!endpoint) throw notFound('The webhook');
    this.assertManages(actor, endpoint.serviceAccount);
    return endpoint;
  }

  private assertManages(actor: Actor, account: ServiceAccount): void {
    if (actor.serviceAccount?.id === account.id) return;
    if (!canSeeTaskForce(actor, account.taskForce.id)) {
      // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
      refuseAggregatesOnly(actor, account.taskForce.id);
      throw notFound('The service account');
    }
    assertCan(actor, 'serviceAccount.manage', account.taskForce.id);
  }
}
