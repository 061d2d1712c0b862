import { BigIntType, Entity, Index, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * The outbox: written in the same transaction as the change it describes, published on the bus
 * after commit, and read back for catch-up. Task-force events have a gap-free cursor per task force.
 */
@Entity({ tableName: 'domain_event' })
@Unique({ properties: ['taskForceId', 'cursor'] })
@Index({ properties: ['publishedAt', 'id'] })
export class DomainEvent {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  /** Null for system events (about a member or a session, not a task force). */
  @Property({ type: 'uuid', nullable: true })
  taskForceId?: string | null;

  @Property({ type: 'integer', nullable: true })
  cursor?: number | null;

  @Property({ type: 'string', length: 48 })
  type!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  /** For routing to meeting rooms and filtering a meeting's catch-up. */
  @Property({ type: 'uuid', nullable: true, index: true })
  meetingId?: string | null;

  @Property({ type: 'datetime' })
  at: Opt<Date> = new Date();

  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;
}

/** The last cursor handed out per task force. Its row lock orders commits, which keeps cursors gap-free. */
@Entity({ tableName: 'event_cursor' })
export class EventCursor {
  @PrimaryKey({ type: 'uuid' })
  taskForceId!: string;

  @Property({ type: 'integer' })
  lastCursor!: number;
}
