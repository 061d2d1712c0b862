import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AgencyKind, ApiScope } from '@hub/access';
import type { ApiKey, DeliveryStatus, ServiceAccount, WebhookDelivery, WebhookEndpoint } from '@hub/service-accounts';

registerEnumType(ApiScope, {
  name: 'ApiScope',
  description: 'READ: queries; SUBSCRIBE: graphql-ws subscriptions and Socket.IO; WRITE: mutations.',
});

@ObjectType('ServiceAccount', {
  description:
    "A client app's identity in one task force: it reads exactly what a member of its agency may, within its scopes.",
})
export class ServiceAccountModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => ID) taskForceId: string;
  @Field(() => ID) agencyId: string;
  @Field(() => AgencyKind) agencyKind: AgencyKind;
  @Field(() => ID, { description: 'The member row it acts as (actorId in events and the audit trail).' })
  memberId: string;
  @Field(() => [ApiScope]) scopes: ApiScope[];
  @Field(() => Date, { nullable: true }) disabledAt: Date | null;
  @Field() createdAt: Date;

  static from(account: ServiceAccount): ServiceAccountModel {
    return Object.assign(new ServiceAccountModel(), {
      id: account.id,
      name: account.name,
      taskForceId: account.taskForce.id,
      agencyId: account.agency.id,
      agencyKind: account.agency.kind,
      memberId: account.member.id,
      scopes: account.scopes,
      disabledAt: account.disabledAt ?? null,
      createdAt: account.createdAt,
    });
  }
}

@ObjectType('ApiKey', { description: 'An API key; the key itself is shown only once, when issued.' })
export class ApiKeyModel {
  @Field(() => ID) id: string;
  @Field(() => ID) serviceAccountId: string;
  @Field({ description: 'The first characters of the key, to tell keys apart.' }) prefix: string;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'Recorded at most once a minute.' }) lastUsedAt: Date | null;
  @Field() createdAt: Date;

  static from(key: ApiKey): ApiKeyModel {
    return Object.assign(new ApiKeyModel(), {
      id: key.id,
      serviceAccountId: key.serviceAccount.id,
      prefix: key.prefix,
      expiresAt: key.expiresAt ?? null,
      revokedAt: key.revokedAt ?? null,
      lastUsedAt: key.lastUsedAt ?? null,
      createdAt: key.createdAt,
    });
  }
}

@ObjectType('IssuedApiKey')
export class IssuedApiKeyModel {
  @Field(() => ApiKeyModel) key: ApiKeyModel;
  @Field({ description: 'Send as "Authorization: Bearer <secret>". Shown once: the hub keeps only a hash.' })
  secret: string;
}

@ObjectType('WebhookEndpoint')
export class WebhookEndpointModel {
  @Field(() => ID) id: string;
  @Field(() => ID) serviceAccountId: string;
  @Field() url: string;
  @Field(() => [String]) eventTypes: string[];
  @Field(() => Date, { nullable: true, description: 'Since when every attempt has failed.' })
  failingSince: Date | null;
  @Field(() => Date, { nullable: true }) disabledAt: Date | null;
  @Field(() => String, { nullable: true }) disabledReason: string | null;
  @Field() createdAt: Date;

  static from(endpoint: WebhookEndpoint): WebhookEndpointModel {
    return Object.assign(new WebhookEndpointModel(), {
      id: endpoint.id,
      serviceAccountId: endpoint.serviceAccount.id,
      url: endpoint.url,
      eventTypes: endpoint.eventTypes,
      failingSince: endpoint.failingSince ?? null,
      disabledAt: endpoint.disabledAt ?? null,
      disabledReason: endpoint.disabledReason ?? null,
      createdAt: endpoint.createdAt,
    });
  }
}

@ObjectType('RegisteredWebhook')
export class RegisteredWebhookModel {
  @Field(() => WebhookEndpointModel) endpoint: WebhookEndpointModel;
  @Field({ description: 'The Standard Webhooks signing secret (whsec_…). Shown once.' }) secret: string;
}

@ObjectType('WebhookDelivery', { description: 'One event for one endpoint: the delivery log (never a payload).' })
export class WebhookDeliveryModel {
  @Field(() => ID, { description: 'The webhook-id header: the same on every retry.' }) messageId: string;
  @Field(() => Int) cursor: number;
  @Field() eventType: string;
  @Field(() => String, { description: 'PENDING (not yet taken by the receiver) or DELIVERED.' }) status: DeliveryStatus;
  @Field(() => Int) attempts: number;
  @Field() nextAttemptAt: Date;
  @Field(() => Int, { nullable: true }) lastStatusCode: number | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt: Date | null;
  @Field() createdAt: Date;

  static from(delivery: WebhookDelivery): WebhookDeliveryModel {
    return Object.assign(new WebhookDeliveryModel(), {
      messageId: delivery.messageId,
      cursor: delivery.cursor,
      eventType: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.nextAttemptAt,
      lastStatusCode: delivery.lastStatusCode ?? null,
      lastError: delivery.lastError ?? null,
      deliveredAt: delivery.deliveredAt ?? null,
      createdAt: delivery.createdAt,
    });
  }
}
