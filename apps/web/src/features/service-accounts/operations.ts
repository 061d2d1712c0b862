/** The operations of the client-apps screen, typed by hand after schema.graphql (ServiceAccount, ApiKey, WebhookEndpoint). */
import { operation } from '../../api/graphql';

export type ApiScope = 'READ' | 'SUBSCRIBE' | 'WRITE';
export const SCOPES: ApiScope[] = ['READ', 'SUBSCRIBE', 'WRITE'];

/** The event types a webhook may choose (the union members of schema.graphql's LiveEventPayload). */
export const EVENT_TYPES = [
  'meeting.scheduled',
  'meeting.updated',
  'meeting.cancelled',
  'meeting.started',
  'meeting.agendaAdvanced',
  'meeting.ended',
  'meeting.agendaChanged',
  'meeting.attendanceChanged',
  'meeting.noteAdded',
  'meeting.decisionRecorded',
  'actionItem.created',
  'actionItem.updated',
  'actionItem.commented',
  'caseSummary.created',
  'caseSummary.updated',
  'membership.added',
  'membership.roleChanged',
  'membership.removed',
] as const;

export interface ApiKey {
  id: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  eventTypes: string[];
  failingSince: string | null;
  disabledAt: string | null;
}

export interface ServiceAccount {
  id: string;
  name: string;
  agencyId: string;
  scopes: ApiScope[];
  disabledAt: string | null;
  createdAt: string;
  keys: ApiKey[];
  webhooks: Webhook[];
}

export interface Delivery {
  messageId: string;
  cursor: number;
  eventType: string;
  status: 'PENDING' | 'DELIVERED';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

const KEY = 'id prefix createdAt expiresAt revokedAt lastUsedAt';
const WEBHOOK = 'id url eventTypes failingSince disabledAt';

export const ServiceAccountsQuery = operation<{ serviceAccounts: ServiceAccount[] }, { taskForceId: string }>(
  `query ServiceAccounts($taskForceId: ID!) {
    serviceAccounts(taskForceId: $taskForceId) {
      id name agencyId scopes disabledAt createdAt keys { ${KEY} } webhooks { ${WEBHOOK} }
    }
  }`,
);

export const AgenciesQuery = operation<{ agencies: { id: string; name: string; kind: string }[] }>(
  'query Agencies { agencies { id name kind } }',
);

export const CreateServiceAccount = operation<
  { createServiceAccount: { id: string } },
  { input: { taskForceId: string; name: string; agencyId: string; scopes: ApiScope[] } }
>('mutation CreateServiceAccount($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }');

export const DisableServiceAccount = operation<{ disableServiceAccount: { id: string } }, { id: string }>(
  'mutation DisableServiceAccount($id: ID!) { disableServiceAccount(id: $id) { id } }',
);

export const CreateApiKey = operation<
  { createApiKey: { secret: string } },
  { serviceAccountId: string; expiresAt: string | null }
>(
  `mutation CreateApiKey($serviceAccountId: ID!, $expiresAt: DateTime) {
    createApiKey(serviceAccountId: $serviceAccountId, expiresAt: $expiresAt) { secret }
  }`,
);

export const RotateApiKey = operation<{ rotateApiKey: { secret: string } }, { id: string }>(
  'mutation RotateApiKey($id: ID!) { rotateApiKey(id: $id) { secret } }',
);

export const RevokeApiKey = operation<{ revokeApiKey: { id: string } }, { id: string }>(
  'mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id } }',
);

export const RegisterWebhook = operation<
  { registerWebhook: { secret: string } },
  { input: { serviceAccountId: string; url: string; eventTypes: string[] } }
>('mutation RegisterWebhook($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }');

export const EnableWebhook = operation<{ enableWebhook: { id: string } }, { id: string }>(
  'mutation EnableWebhook($id: ID!) { enableWebhook(id: $id) { id } }',
);

export const DeleteWebhook = operation<{ deleteWebhook: boolean }, { id: string }>(
  'mutation DeleteWebhook($id: ID!) { deleteWebhook(id: $id) }',
);

export const WebhookDeliveriesQuery = operation<{ webhookDeliveries: Delivery[] }, { webhookId: string }>(
  `query WebhookDeliveries($webhookId: ID!) {
    webhookDeliveries(webhookId: $webhookId, first: 20) {
      messageId cursor eventType status attempts lastStatusCode lastError deliveredAt
    }
  }`,
);
