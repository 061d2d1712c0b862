import { BigIntType, Entity, Index, ManyToOne, OneToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { ApiScope } from '@hub/access';
import { Agency, AuthSession, Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';

/**
 * A client app's identity in one task force. It acts through a member row of its own (no password:
 * it can never sign in) that belongs to the agency it acts for and holds a MEMBER role in its task
 * force, so the one access policy, the audit trail and every author column treat it as that
 * agency's member, and disabling it uses the same path that ends a person's live sessions.
 */
@Entity({ tableName: 'service_account' })
export class ServiceAccount {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 120 })
  name!: string;

  @ManyToOne({ entity: () => TaskForce, index: true })
  taskForce!: TaskForce;

  @ManyToOne({ entity: () => Agency })
  agency!: Agency;

  @OneToOne({ entity: () => Member, owner: true, unique: true })
  member!: Member;

  @Property({ type: 'json' })
  scopes!: ApiScope[];

  @Property({ type: 'uuid' })
  createdById!: string;

  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/**
 * An API key, kept only as a SHA-256 hash. Each key has an auth session of the account's member, so
 * revoking it (or its expiry) ends its live connections on every instance the way a logout does.
 */
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ServiceAccount, index: true })
  serviceAccount!: ServiceAccount;

  @OneToOne({ entity: () => AuthSession, owner: true, unique: true })
  session!: AuthSession;

  /** The first characters of the key, shown in lists so a person can tell keys apart. */
  @Property({ type: 'string', length: 16 })
  prefix!: string;

  @Property({ type: 'string', length: 64, unique: true })
  secretHash!: string;

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/** Where a service account wants thin notifications of its task force's events. */
@Entity({ tableName: 'webhook_endpoint' })
export class WebhookEndpoint {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ServiceAccount, index: true })
  serviceAccount!: ServiceAccount;

  @Property({ type: 'string', length: 2000 })
  url!: string;

  @Property({ type: 'json' })
  eventTypes!: string[];

  /** The Standard Webhooks signing secret (`whsec_…`): needed in clear to sign, shown once. */
  @Property({ type: 'string', length: 80, hidden: true })
  secret!: string;

  /** Events up to this cursor have been considered (a delivery made for those of the chosen types). */
  @Property({ type: 'integer' })
  scannedCursor!: number;

  /** Since when every attempt has failed; a day of that disables the endpoint. */
  @Property({ type: 'datetime', nullable: true })
  failingSince?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Date | null;

  @Property({ type: 'string', length: 32, nullable: true })
  disabledReason?: string | null;

  /** One instance at a time works an endpoint (claimed by a conditional update), so deliveries keep cursor order. */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED';

/** One event for one endpoint: the unique key makes a second row for the same event impossible. */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['endpoint', 'cursor'] })
@Index({ properties: ['endpoint', 'status', 'cursor'] })
export class WebhookDelivery {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => WebhookEndpoint })
  endpoint!: WebhookEndpoint;

  /** Stable across retries: the `webhook-id` a receiver de-duplicates by. */
  @Property({ type: 'uuid' })
  messageId: Opt<string> = randomUUID();

  @Property({ type: 'integer' })
  cursor!: number;

  @Property({ type: 'string', length: 48 })
  eventType!: string;

  @Property({ type: 'string', length: 16 })
  status: Opt<DeliveryStatus> = 'PENDING';

  @Property({ type: 'integer' })
  attempts: Opt<number> = 0;

  @Property({ type: 'datetime' })
  nextAttemptAt: Opt<Date> = new Date();

  @Property({ type: 'integer', nullable: true })
  lastStatusCode?: number | null;

  /** What went wrong, in our words (a status, a timeout): never the receiver's response body. */
  @Property({ type: 'string', length: 120, nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
