import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Actor, ApiScope, assertCan, canSeeTaskForce, TaskForceRole, refuseAggregatesOnly } from '@hub/access';
import { AuditService } from '@hub/audit';
import { badInput, notFound, screenFields } from '@hub/core';
import { type EventQueue, WriteTransaction } from '@hub/events';
import { Agency, AuthService, AuthSession, Member, Membership } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { accountDisabled, keyRevoked } from './service-accounts.errors';
import { ApiKey, ServiceAccount } from './service-account.entity';

/** Every key starts so: the hub tells it from an access token, and secret scanners can find leaked ones. */
export const API_KEY_PREFIX = 'tfh_';

/** Never a valid argon2 hash: the account's member row can never sign in with a password. */
export const NO_PASSWORD = '!service-account';

export const DEFAULT_SCOPES = [ApiScope.READ, ApiScope.SUBSCRIBE];

/** How long a rotated key keeps working beside its successor, unless told otherwise. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;

const MAX_KEY_LIFETIME_MS = 10 * 365 * 86_400_000;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface IssuedKey {
  key: ApiKey;
  /** The key itself: shown once, never stored. */
  secret: string;
}

@Injectable()
export class ServiceAccountsService {
  constructor(
    private readonly em: EntityManager,
    private readonly writes: WriteTransaction,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  /** Coordinators create accounts for their own task force; administrators for any. */
  async create(
    actor: Actor,
    input: { taskForceId: string; name: string; agencyId: string; scopes?: ApiScope[] | null },
  ): Promise<ServiceAccount> {
    assertCan(actor, 'serviceAccount.manage', input.taskForceId);
    const name = input.name.trim();
    if (name.length < 2 || name.length > 120) throw badInput('name', 'The name must be 2 to 120 characters long.');
    screenFields({ name });
    const scopes = [...new Set(input.scopes?.length ? input.scopes : DEFAULT_SCOPES)].sort();
    return this.writes.run(async (em, events) => {
      const taskForce = await em.findOne(TaskForce, { id: input.taskForceId });
      if (!taskForce) throw notFound('The task force');
      const agency = await em.findOne(Agency, { id: input.agencyId });
      if (!agency) throw badInput('agencyId', 'No agency has this id.');
      const id = randomUUID();
      // The member row is the account's principal: never a person, never a password.
      const member = em.create(Member, {
        email: `service-account-${id}@service-accounts.invalid`,
        displayName: name,
        agency,
        passwordHash: NO_PASSWORD,
      });
      const membership = em.create(Membership, { taskForce, member, role: TaskForceRole.MEMBER });
      const account = em.create(ServiceAccount, {
        id,
        name,
        taskForce,
        agency,
        member,
        scopes,
        createdById: actor.memberId,
      });
      this.audit.record(em, {
        action: 'serviceAccount.created',
        actorId: actor.memberId,
        taskForceId: taskForce.id,
        subjectType: 'ServiceAccount',
        subjectId: account.id,
        ip: actor.ip,
        details: { memberId: member.id, agencyId: agency.id, scopes },
      });
      events.record({
        type: 'membership.added',
        taskForceId: taskForce.id,
        actorId: actor.memberId,
        data: { membershipId: membership.id, memberId: member.id, role: membership.role },
      });
      return account;
    });
  }

  async list(actor: Actor, taskForceId: string): Promise<ServiceAccount[]> {
    assertCan(actor, 'serviceAccount.manage', taskForceId);
    return this.em.find(
      ServiceAccount,
      { taskForce: taskForceId },
      { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['agency'] },
    );
  }

  async get(actor: Actor, id: string): Promise<ServiceAccount> {
    return this.load(this.em, actor, id);
  }

  /** Ends every key and live connection of the account on every instance, as disabling a member does. */
  async disable(actor: Actor, id: string): Promise<ServiceAccount> {
    return this.writes.run(async (em, events) => {
      const account = await this.load(em, actor, id);
      if (account.disabledAt) return account;
      const now = new Date();
      account.disabledAt = now;
      const member = await em.findOneOrFail(Member, { id: account.member.id });
      member.disabledAt = now;
      await em.nativeUpdate(ApiKey, { serviceAccount: account.id, revokedAt: null }, { revokedAt: now });
      const sessions = await this.auth.revokeAllSessions(em, member.id, 'service-account-disabled');
      this.audit.record(em, {
        action: 'serviceAccount.disabled',
        actorId: actor.memberId,
        taskForceId: account.taskForce.id,
        subjectType: 'ServiceAccount',
        subjectId: account.id,
        ip: actor.ip,
        details: { keysRevoked: sessions },
      });
      events.recordSystem('member.disabled', { memberId: member.id }, actor.memberId);
      return account;
    });
  }

  async keys(actor: Actor, accountId: string): Promise<ApiKey[]> {
    await this.load(this.em, actor, accountId);
    return this.em.find(ApiKey, { serviceAccount: accountId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  async createKey(actor: Actor, accountId: string, expiresAt?: Date | null): Promise<IssuedKey> {
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw badInput('expiresAt', 'The expiry must be in the future.');
    // Also keeps dates PostgreSQL cannot store (after year 9999) from reaching it.
    if (expiresAt && expiresAt.getTime() > Date.now() + MAX_KEY_LIFETIME_MS)
      throw badInput(
        'expiresAt',
        'The expiry must be within ten years; leave it empty for a key that does not expire.',
      );
    return this.writes.run(async (em) => {
      const account = await this.load(em, actor, accountId);
      if (account.disabledAt) throw accountDisabled();
      const issued = this.issue(em, account, expiresAt ?? null);
      this.audit.record(em, {
        action: 'apiKey.created',
        actorId: actor.memberId,
        taskForceId: account.taskForce.id,
        subjectType: 'ApiKey',
        subjectId: issued.key.id,
        ip: actor.ip,
        details: { serviceAccountId: account.id, expiresAt: expiresAt?.toISOString() ?? null },
      });
      return issued;
    });
  }

  /** A new key; the old one keeps working for the grace period, so the client app can switch without a gap. */
  async rotateKey(actor: Actor, keyId: string, graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS): Promise<IssuedKey> {
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 30 * 86_400)
      throw badInput('graceSeconds', 'The grace period must be between 0 seconds and 30 days.');
    return this.writes.run(async (em) => {
      const old = await this.loadKey(em, actor, keyId);
      const account = old.serviceAccount;
      if (account.disabledAt) throw accountDisabled();
      if (old.revokedAt || (old.expiresAt && old.expiresAt <= new Date())) throw keyRevoked();
      const graceEnds = new Date(Date.now() + graceSeconds * 1000);
      if (!old.expiresAt || old.expiresAt > graceEnds) old.expiresAt = graceEnds;
      const issued = this.issue(em, account, null);
      this.audit.record(em, {
        action: 'apiKey.rotated',
        actorId: actor.memberId,
        taskForceId: account.taskForce.id,
        subjectType: 'ApiKey',
        subjectId: issued.key.id,
        ip: actor.ip,
        details: { serviceAccountId: account.id, replaces: old.id, oldKeyExpiresAt: old.expiresAt.toISOString() },
      });
      return issued;
    });
  }

  /** Revokes at once: requests fail and live connections close on every instance within the bus's delay. */
  async revokeKey(actor: Actor, keyId: string): Promise<ApiKey> {
    return this.writes.run(async (em, events) => {
      const key = await this.loadKey(em, actor, keyId);
      if (key.revokedAt) return key;
      key.revokedAt = new Date();
      await this.endSession(em, events, key, 'apiKey.revoked', actor);
      return key;
    });
  }

  /**
   * Keys past their expiry (a rotated key's grace period included) lose their session, so live
   * connections opened with them close on every instance. Run by ApiKeyExpiry; safe on several at once.
   */
  async expireDue(now = new Date()): Promise<number> {
    const due = await this.em
      .fork()
      .find(ApiKey, { revokedAt: null, expiresAt: { $lte: now } }, { fields: ['id'], limit: 100 });
    let expired = 0;
    for (const { id } of due)
      expired += await this.writes.run(async (em, events) => {
        const key = await em.findOne(ApiKey, { id, revokedAt: null }, { populate: ['serviceAccount'] });
        if (!key) return 0;
        key.revokedAt = now;
        await this.endSession(em, events, key, 'apiKey.expired', null);
        return 1;
      });
    return expired;
  }

  private async endSession(
    em: EntityManager,
    events: EventQueue,
    key: ApiKey,
    action: 'apiKey.revoked' | 'apiKey.expired',
    actor: Actor | null,
  ): Promise<void> {
    const account = key.serviceAccount;
    await em.nativeUpdate(
      AuthSession,
      { id: key.session.id, revokedAt: null },
      { revokedAt: new Date(), revokedReason: action === 'apiKey.revoked' ? 'api-key-revoked' : 'api-key-expired' },
    );
    this.audit.record(em, {
      action,
      actorId: actor?.memberId ?? null,
      taskForceId: account.taskForce.id,
      subjectType: 'ApiKey',
      subjectId: key.id,
      ip: actor?.ip ?? null,
      details: { serviceAccountId: account.id },
    });
    events.recordSystem(
      'session.revoked',
      { memberId: account.member.id, sessionId: key.session.id },
      actor?.memberId ?? null,
    );
  }

  private issue(em: EntityManager, account: ServiceAccount, expiresAt: Date | null): IssuedKey {
    const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const session = em.create(AuthSession, { member: account.member, ip: null });
    const key = em.create(ApiKey, {
      serviceAccount: account,
      session,
      prefix: secret.slice(0, 12),
      secretHash: sha256(secret),
      expiresAt,
    });
    return { key, secret };
  }

  private async load(em: EntityManager, actor: Actor, id: string): Promise<ServiceAccount> {
    const account = await em.findOne(ServiceAccount, { id }, { populate: ['agency'] });
    if (!account || !canSeeTaskForce(actor, account.taskForce.id)) {
      // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
      refuseAggregatesOnly(actor, account?.taskForce.id);
      throw notFound('The service account');
    }
    assertCan(actor, 'serviceAccount.manage', account.taskForce.id);
    return account;
  }

  private async loadKey(em: EntityManager, actor: Actor, keyId: string): Promise<ApiKey> {
    const key = await em.findOne(ApiKey, { id: keyId }, { populate: ['serviceAccount'] });
    if (!key || !canSeeTaskForce(actor, key.serviceAccount.taskForce.id)) {
      // The national programme role reads aggregates only: FORBIDDEN, as on every case-level lookup.
      refuseAggregatesOnly(actor, key?.serviceAccount.taskForce.id);
      throw notFound('The API key');
    }
    assertCan(actor, 'serviceAccount.manage', key.serviceAccount.taskForce.id);
    return key;
  }
}
