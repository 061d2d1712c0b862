import { BigIntType, Entity, Index, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One line of the append-only audit trail. Ids, not relations: a record outlives what it names,
 * and the database refuses UPDATE and DELETE on this table (see the migrations).
 */
@Entity({ tableName: 'audit_record' })
@Index({ properties: ['taskForceId', 'id'] })
@Index({ properties: ['actorId', 'id'] })
export class AuditRecord {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'datetime' })
  at: Opt<Date> = new Date();

  /** For example `auth.login.failed`, `membership.roleChanged`. */
  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  taskForceId?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  subjectType?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  subjectId?: string | null;

  /** The client address, as the proxy chain reports it. */
  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  @Property({ type: 'json', nullable: true })
  details?: Record<string, unknown> | null;
}
