import { Entity, ManyToOne, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Member } from './member.entity';

/**
 * One login: the family of refresh tokens that rotate from it. Revoking it ends the access tokens
 * issued under it at once (they carry its id and every request checks it).
 */
@Entity({ tableName: 'auth_session' })
export class AuthSession {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Member, index: true })
  member!: Member;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** logout, refresh-reuse, member-disabled */
  @Property({ type: 'string', length: 32, nullable: true })
  revokedReason?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  /** The refresh token whose use issued the session's current one: what a retry of a lost answer must present. */
  @Property({ type: 'uuid', nullable: true })
  lastRefreshId?: string | null;
}

/** A refresh token, kept only as a SHA-256 hash. Spent once; a second use revokes its session (but see AuthService.isRetry). */
@Entity({ tableName: 'refresh_token' })
export class RefreshToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => AuthSession, index: true })
  session!: AuthSession;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;

  /** The client address it was used from: only that address may retry a refresh whose answer it lost. */
  @Property({ type: 'string', length: 64, nullable: true })
  usedIp?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
