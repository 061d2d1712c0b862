import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Actor, actorWith } from '@hub/access';
import { forkOfRoot, HUB_CONFIG, type HubConfig } from '@hub/core';
import { AuthService } from '@hub/identity';
import { invalidApiKey } from './service-accounts.errors';
import { API_KEY_PREFIX, ServiceAccountsService, sha256 } from './service-accounts.service';
import { ApiKey } from './service-account.entity';

/** The last use is written at most this often per key: a busy client app must not turn every read into a write. */
const LAST_USE_EVERY_MS = 60_000;

/**
 * Accepts API keys wherever an access token is accepted (AuthService.authenticate serves HTTP,
 * graphql-ws and the Socket.IO handshake). The key's session, member and memberships are read as a
 * person's are, so the actor reads exactly what a member of its agency may; its scopes come along.
 */
@Injectable()
export class ApiKeysAuthenticator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ApiKeys');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly em: EntityManager,
    private readonly auth: AuthService,
    private readonly accounts: ServiceAccountsService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    auth.registerBearerScheme({ prefix: API_KEY_PREFIX, authenticate: (token, ip) => this.authenticate(token, ip) });
  }

  onApplicationBootstrap(): void {
    if (!this.config.apiKeyExpirySweepMs) return;
    this.timer = setInterval(() => {
      this.accounts.expireDue().catch((error: Error) => this.logger.warn(`expiring keys: ${error.message}`));
    }, this.config.apiKeyExpirySweepMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async authenticate(token: string, ip: string | null): Promise<Actor> {
    if (token.length > 100) throw invalidApiKey();
    const em = forkOfRoot(this.em);
    const key = await em.findOne(ApiKey, { secretHash: sha256(token) }, { populate: ['serviceAccount'] });
    const now = Date.now();
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= now) || key.serviceAccount.disabledAt)
      throw invalidApiKey();
    const account = key.serviceAccount;
    let actor: Actor;
    try {
      actor = await this.auth.actorForSession(account.member.id, key.session.id, ip);
    } catch {
      throw invalidApiKey();
    }
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USE_EVERY_MS)
      await em.nativeUpdate(
        ApiKey,
        { id: key.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: new Date(now - LAST_USE_EVERY_MS) } }] },
        { lastUsedAt: new Date(now) },
      );
    return actorWith(actor, {
      tokenExpiresAt: key.expiresAt?.getTime(),
      serviceAccount: { id: account.id, scopes: new Set(account.scopes) },
    });
  }
}
