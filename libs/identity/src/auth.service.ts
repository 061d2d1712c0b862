import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Actor, actorWith } from '@hub/access';
import { AuditService } from '@hub/audit';
import { HUB_CONFIG, HubConfig } from '@hub/core';
import { findLocked, WriteTransaction } from '@hub/events';
import { createHash, randomBytes } from 'node:crypto';
import { ActorCache } from './actor-cache';
import { AuthSession, RefreshToken } from './auth-session.entity';
import { invalidCredentials, invalidRefreshToken, sessionEnded } from './identity.errors';
import { Member } from './member.entity';
import { readLiveActors } from './live-actors.read';
import { type VerifiedClaims, VerifiedTokens } from './verified-tokens';
import { PasswordHasher } from './password.hasher';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires. */
  expiresAt: Date;
}

interface AccessClaims {
  sub: string;
  sid: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Another kind of bearer credential (a service account's API key), told apart by its prefix. */
export interface BearerScheme {
  prefix: string;
  authenticate(token: string, ip: string | null): Promise<Actor>;
}

/** The use recorded for a token a retry replaced: before any retry window, so presenting it is reuse. */
const RETIRED = new Date(0);

/** A client address as compared for a retry: IPv4 the same whether or not the socket reported it IPv6-mapped. */
function addressOf(ip: string | null | undefined): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly schemes: BearerScheme[] = [];
  private readonly verified = new VerifiedTokens();
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly writes: WriteTransaction,
    private readonly actors: ActorCache,
  ) {}

  async login(email: string, password: string, ip?: string | null): Promise<TokenPair> {
    const normalized = email.trim().toLowerCase();
    const em = this.em.fork();
    const member = await em.findOne(Member, { email: normalized });
    const passwordOk = await this.passwords.verify(member?.passwordHash, password);
    if (!member || !passwordOk || member.disabledAt) {
      const reason = !member ? 'unknown-email' : !passwordOk ? 'wrong-password' : 'disabled';
      await this.audit.recordNow({
        action: 'auth.login.failed',
        actorId: member?.id ?? null,
        subjectType: 'Member',
        subjectId: member?.id ?? null,
        ip,
        details: { reason },
      });
      // The audit trail is append-only: what was typed (perhaps a person's identifier) would stay there
      // for ever, so it names the account when there is one and keeps nothing of the typed text otherwise.
      this.logger.warn({ reason, memberId: member?.id, client: ip ?? undefined }, 'sign-in refused');
      throw invalidCredentials();
    }
    return this.writes.run(async (tx) => {
      const session = tx.create(AuthSession, { member: tx.getReference(Member, member.id), ip: ip ?? null });
      this.audit.record(tx, {
        action: 'auth.login.succeeded',
        actorId: member.id,
        subjectType: 'Member',
        subjectId: member.id,
        ip,
      });
      return this.issue(tx, member.id, session);
    });
  }

  /**
   * Rotates a refresh token. A token presented a second time means it was copied: the whole session
   * (every token descended from the same login) is revoked, and the legitimate holder signs in again.
   */
  async refresh(token: string, ip?: string | null): Promise<TokenPair> {
    const outcome = await this.writes.run(async (tx, events) => {
      const found = await tx.findOne(
        RefreshToken,
        { tokenHash: sha256(token) },
        { populate: ['session', 'session.member'] },
      );
      if (!found) return { kind: 'invalid' as const };
      const member = found.session.member;
      // Every refresh of a session waits for the one before it to commit, then reads the session and the
      // token as it left them: two uses, or two retries, of one token cannot both leave a live successor.
      const session = await findLocked(tx, AuthSession, found.session.id, 'write');
      const stored = await tx.findOne(RefreshToken, { id: found.id }, { refresh: true });
      if (!session || !stored) return { kind: 'invalid' as const };
      const now = new Date();
      const open = !session.revokedAt && !member.disabledAt && stored.expiresAt > now;
      const audited = (action: 'auth.refreshed' | 'auth.refreshReused' | 'auth.refreshRetried') =>
        this.audit.record(tx, { action, actorId: member.id, subjectType: 'AuthSession', subjectId: session.id, ip });
      if (stored.usedAt) {
        if (open && this.isRetry(stored, session, ip, now)) {
          // The answer to the first use never arrived (the page reloaded, the phone lost its signal
          // mid-refresh): a new pair. The token that answer carried counts as spent long ago, so if
          // someone does hold it after all (the first use was a thief's), presenting it ends the session.
          await tx.nativeUpdate(RefreshToken, { session: session.id, usedAt: null }, { usedAt: RETIRED });
          audited('auth.refreshRetried');
          return { kind: 'ok' as const, pair: await this.issue(tx, member.id, session) };
        }
        if (!session.revokedAt) {
          await tx.nativeUpdate(
            AuthSession,
            { id: session.id, revokedAt: null },
            { revokedAt: now, revokedReason: 'refresh-reuse' },
          );
          events.recordSystem('session.revoked', { memberId: member.id, sessionId: session.id }, member.id);
          audited('auth.refreshReused');
          return { kind: 'revoked' as const, memberId: member.id, sessionId: session.id };
        }
        return { kind: 'invalid' as const };
      }
      if (!open) return { kind: 'invalid' as const };
      // Still conditional on "not used yet": if the session lock ever failed to serialise two uses, the
      // second issues nothing.
      const spent = await tx.nativeUpdate(
        RefreshToken,
        { id: stored.id, usedAt: null },
        { usedAt: now, usedIp: addressOf(ip) },
      );
      if (spent === 0) return { kind: 'invalid' as const };
      // The session's last rotation, by row and not by clock: a retry is only of this one.
      await tx.nativeUpdate(AuthSession, { id: session.id }, { lastRefreshId: stored.id });
      audited('auth.refreshed');
      return { kind: 'ok' as const, pair: await this.issue(tx, member.id, session) };
    });
    // This instance forgets at once; the others when the bus brings them session.revoked.
    if (outcome.kind === 'revoked') this.actors.forgetSession(outcome.memberId, outcome.sessionId);
    if (outcome.kind !== 'ok') throw invalidRefreshToken();
    return outcome.pair;
  }

  async logout(actor: Actor): Promise<void> {
    await this.writes.run(async (tx, events) => {
      await tx.nativeUpdate(
        AuthSession,
        { id: actor.sessionId, revokedAt: null },
        { revokedAt: new Date(), revokedReason: 'logout' },
      );
      events.recordSystem('session.revoked', { memberId: actor.memberId, sessionId: actor.sessionId }, actor.memberId);
      this.audit.record(tx, {
        action: 'auth.logout',
        actorId: actor.memberId,
        subjectType: 'AuthSession',
        subjectId: actor.sessionId,
        ip: actor.ip,
      });
    });
    this.actors.forgetSession(actor.memberId, actor.sessionId);
  }

  /**
   * Turns an access token into an Actor. The signature is checked once per token (VerifiedTokens keeps
   * what passed until it expires) and the expiry every time; the session, member and memberships come
   * from the actor cache, which every instance clears on logout, disabling and membership changes (this
   * one right after commit, the others through the bus), so those take effect on the next request here
   * and within the bus's delay elsewhere (the cache's TTL at worst).
   */
  async authenticate(accessToken: string, ip?: string | null): Promise<Actor> {
    const scheme = this.schemes.find((candidate) => accessToken.startsWith(candidate.prefix));
    if (scheme) return scheme.authenticate(accessToken, ip ?? null);
    const claims = this.verified.get(accessToken) ?? (await this.verify(accessToken));
    const actor = await this.actors.get(claims.sub, claims.sid, () => this.actorForSession(claims.sub, claims.sid));
    return actorWith(actor, { ip: ip ?? null, tokenExpiresAt: claims.exp * 1000 });
  }

  /** Signature, algorithm and expiry; a token that passes is remembered until it expires (VerifiedTokens). */
  private async verify(accessToken: string): Promise<VerifiedClaims> {
    let claims: Partial<AccessClaims> & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<AccessClaims & { exp?: number }>(accessToken, { algorithms: ['HS256'] });
    } catch {
      throw sessionEnded();
    }
    const { sub, sid, exp } = claims;
    // The hub signs every token with all three; one without is not one of ours.
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') throw sessionEnded();
    const verified = { sub, sid, exp };
    this.verified.add(accessToken, verified);
    return verified;
  }

  /**
   * Lets a domain that identity cannot import (service accounts) accept its own credential wherever an
   * access token is accepted: HTTP, graphql-ws and the Socket.IO handshake all come through authenticate.
   */
  registerBearerScheme(scheme: BearerScheme): void {
    this.schemes.push(scheme);
  }

  /**
   * The actor of a live session as the database has it now: for the actor cache's misses and for
   * re-checking long-lived connections.
   */
  async actorForSession(memberId: string, sessionId: string, ip?: string | null): Promise<Actor> {
    const actor = (await readLiveActors(this.em, [sessionId])).get(sessionId);
    if (!actor || actor.memberId !== memberId) throw sessionEnded();
    return ip ? actorWith(actor, { ip }) : actor;
  }

  /** Of these sessions, the ones that have ended (logged out, revoked, or the member disabled). */
  async endedSessions(sessionIds: string[]): Promise<Set<string>> {
    if (!sessionIds.length) return new Set();
    const live = await this.em
      .fork()
      .find(
        AuthSession,
        { id: { $in: sessionIds }, revokedAt: null, member: { disabledAt: null } },
        { fields: ['id'] },
      );
    const alive = new Set(live.map((s) => s.id));
    return new Set(sessionIds.filter((id) => !alive.has(id)));
  }

  /** Revokes every live session of a member (used when an administrator disables them). */
  async revokeAllSessions(em: EntityManager, memberId: string, reason: string): Promise<number> {
    return em.nativeUpdate(
      AuthSession,
      { member: memberId, revokedAt: null },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /**
   * A spent token presented again by the client that spent it, within seconds, before anything rotated
   * from it (the caller has checked the session is open and the token unexpired): that client retrying a refresh whose answer it lost. A copy
   * replayed from elsewhere or later, or after its successor was used (the answer did arrive), is reuse.
   * The window runs from the first use: retrying again does not extend it.
   */
  private isRetry(stored: RefreshToken, session: AuthSession, ip: string | null | undefined, now: Date): boolean {
    const window = this.config.refreshRetrySeconds * 1000;
    const address = addressOf(ip);
    if (!window || !address || !stored.usedAt || stored.usedIp !== address) return false;
    if (now.getTime() - stored.usedAt.getTime() >= window) return false;
    // Its successor unused: the session's last rotation is still this token's.
    return session.lastRefreshId === stored.id;
  }

  private async issue(em: EntityManager, memberId: string, session: AuthSession): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    const ttl = this.config.accessTokenTtlSeconds;
    em.create(RefreshToken, {
      session,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
    });
    const accessToken = await this.jwt.signAsync({ sub: memberId, sid: session.id } satisfies AccessClaims, {
      expiresIn: ttl,
    });
    return { accessToken, refreshToken, expiresAt: new Date(Date.now() + ttl * 1000) };
  }
}
