import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { ServiceAccountsService, WebhooksService } from '@hub/service-accounts';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { CreateServiceAccountInput, RegisterWebhookInput } from './service-account.input';
import {
  ApiKeyModel,
  IssuedApiKeyModel,
  RegisteredWebhookModel,
  ServiceAccountModel,
  WebhookDeliveryModel,
  WebhookEndpointModel,
} from './service-account.model';

/** Client apps' accounts, keys and webhooks: coordinators of the task force and administrators manage them. */
@Resolver(() => ServiceAccountModel)
export class ServiceAccountsResolver {
  constructor(
    private readonly accounts: ServiceAccountsService,
    private readonly webhookService: WebhooksService,
  ) {}

  @Query(() => [ServiceAccountModel], { description: "A task force's service accounts (coordinators)." })
  async serviceAccounts(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
  ): Promise<ServiceAccountModel[]> {
    return (await this.accounts.list(actor, taskForceId)).map(ServiceAccountModel.from);
  }

  @Mutation(() => ServiceAccountModel, {
    description: 'Create a service account for a client app. It has no key yet: issue one with createApiKey.',
  })
  async createServiceAccount(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateServiceAccountInput,
  ): Promise<ServiceAccountModel> {
    return ServiceAccountModel.from(await this.accounts.create(actor, input));
  }

  @Mutation(() => ServiceAccountModel, {
    description: 'Disable a service account: every key stops and its live connections close on every instance.',
  })
  async disableServiceAccount(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<ServiceAccountModel> {
    return ServiceAccountModel.from(await this.accounts.disable(actor, id));
  }

  @Mutation(() => IssuedApiKeyModel, { description: 'Issue an API key. The secret is in this answer only.' })
  async createApiKey(
    @CurrentActor() actor: Actor,
    @Args('serviceAccountId', { type: () => ID }, uuid('serviceAccountId')) serviceAccountId: string,
    @Args('expiresAt', { type: () => Date, nullable: true }) expiresAt?: Date | null,
  ): Promise<IssuedApiKeyModel> {
    const { key, secret } = await this.accounts.createKey(actor, serviceAccountId, expiresAt);
    return { key: ApiKeyModel.from(key), secret };
  }

  @Mutation(() => IssuedApiKeyModel, {
    description: 'Issue a successor key; the old one keeps working for graceSeconds (default a day), then stops.',
  })
  async rotateApiKey(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
    @Args('graceSeconds', { type: () => Int, nullable: true }) graceSeconds?: number | null,
  ): Promise<IssuedApiKeyModel> {
    const { key, secret } = await this.accounts.rotateKey(actor, id, graceSeconds ?? undefined);
    return { key: ApiKeyModel.from(key), secret };
  }

  @Mutation(() => ApiKeyModel, { description: 'Revoke a key at once: its live connections close on every instance.' })
  async revokeApiKey(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<ApiKeyModel> {
    return ApiKeyModel.from(await this.accounts.revokeKey(actor, id));
  }

  @Mutation(() => RegisteredWebhookModel, {
    description: 'Register an endpoint for thin, signed notifications of chosen event types. The secret is shown once.',
  })
  async registerWebhook(
    @CurrentActor() actor: Actor,
    @Args('input') input: RegisterWebhookInput,
  ): Promise<RegisteredWebhookModel> {
    const { endpoint, secret } = await this.webhookService.register(actor, input);
    return { endpoint: WebhookEndpointModel.from(endpoint), secret };
  }

  @Mutation(() => WebhookEndpointModel, { description: 'Turn a disabled webhook on again; pending events follow.' })
  async enableWebhook(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<WebhookEndpointModel> {
    return WebhookEndpointModel.from(await this.webhookService.enable(actor, id));
  }

  @Mutation(() => Boolean, { description: 'Remove a webhook and its delivery log.' })
  async deleteWebhook(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<boolean> {
    await this.webhookService.remove(actor, id);
    return true;
  }

  @Query(() => [WebhookDeliveryModel], { description: "A webhook's delivery log, newest first." })
  async webhookDeliveries(
    @CurrentActor() actor: Actor,
    @Args('webhookId', { type: () => ID }, uuid('webhookId')) webhookId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
  ): Promise<WebhookDeliveryModel[]> {
    return (await this.webhookService.deliveries(actor, webhookId, first)).map(WebhookDeliveryModel.from);
  }

  // A task force has a handful of accounts: these read per account through the checked services.
  @ResolveField(() => [ApiKeyModel])
  async keys(@CurrentActor() actor: Actor, @Parent() account: ServiceAccountModel): Promise<ApiKeyModel[]> {
    return (await this.accounts.keys(actor, account.id)).map(ApiKeyModel.from);
  }

  @ResolveField(() => [WebhookEndpointModel])
  async webhooks(
    @CurrentActor() actor: Actor,
    @Parent() account: ServiceAccountModel,
  ): Promise<WebhookEndpointModel[]> {
    return (await this.webhookService.list(actor, account.id)).map(WebhookEndpointModel.from);
  }
}
