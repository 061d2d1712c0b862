import { type ApiScope } from '@hub/access';
import { type GraphQLClient } from '../utils/graphql-client';

export const CREATE_SERVICE_ACCOUNT = `mutation($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) { id name taskForceId agencyId agencyKind memberId scopes disabledAt }
}`;
export const CREATE_API_KEY = `mutation($id: ID!, $expiresAt: DateTime) {
  createApiKey(serviceAccountId: $id, expiresAt: $expiresAt) { secret key { id prefix expiresAt lastUsedAt } }
}`;
export const ROTATE_API_KEY = `mutation($id: ID!, $grace: Int) {
  rotateApiKey(id: $id, graceSeconds: $grace) { secret key { id prefix expiresAt } }
}`;
export const REVOKE_API_KEY = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
export const DISABLE_SERVICE_ACCOUNT = `mutation($id: ID!) { disableServiceAccount(id: $id) { id disabledAt } }`;
export const SERVICE_ACCOUNTS = `query($tf: ID!) {
  serviceAccounts(taskForceId: $tf) { id name scopes keys { id prefix lastUsedAt revokedAt expiresAt } webhooks { id url eventTypes disabledAt } }
}`;
export const REGISTER_WEBHOOK = `mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) { secret endpoint { id url eventTypes disabledAt } }
}`;
export const WEBHOOK_DELIVERIES = `query($id: ID!, $first: Int) {
  webhookDeliveries(webhookId: $id, first: $first) { messageId cursor eventType status attempts lastStatusCode lastError deliveredAt }
}`;

export interface ServiceAccountRow {
  id: string;
  memberId: string;
  scopes: ApiScope[];
}

/** Service accounts and keys made as a coordinator would, through the API. */
export class ServiceAccountsFactory {
  constructor(private readonly gql: GraphQLClient) {}

  async account(
    coordinatorToken: string,
    input: { taskForceId: string; agencyId: string; name?: string; scopes?: ApiScope[] },
  ): Promise<ServiceAccountRow> {
    const { createServiceAccount } = await this.gql.data<{ createServiceAccount: ServiceAccountRow }>(
      CREATE_SERVICE_ACCOUNT,
      { input: { name: 'Case system', ...input } },
      { token: coordinatorToken },
    );
    return createServiceAccount;
  }

  async key(coordinatorToken: string, accountId: string, expiresAt?: Date): Promise<{ id: string; secret: string }> {
    const { createApiKey } = await this.gql.data<{ createApiKey: { secret: string; key: { id: string } } }>(
      CREATE_API_KEY,
      { id: accountId, expiresAt: expiresAt?.toISOString() ?? null },
      { token: coordinatorToken },
    );
    return { id: createApiKey.key.id, secret: createApiKey.secret };
  }

  /** An account and one key for it. */
  async withKey(
    coordinatorToken: string,
    input: { taskForceId: string; agencyId: string; name?: string; scopes?: ApiScope[] },
  ) {
    const account = await this.account(coordinatorToken, input);
    const key = await this.key(coordinatorToken, account.id);
    return { account, key };
  }
}
