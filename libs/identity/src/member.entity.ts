import { Entity, ManyToOne, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Agency } from './agency.entity';

/** A person with a login. Their roles live in memberships; their agency decides need-to-know. */
@Entity({ tableName: 'member' })
export class Member {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased, so uniqueness and login ignore case. */
  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  @Property({ type: 'string', length: 120 })
  displayName!: string;

  @ManyToOne({ entity: () => Agency, index: true })
  agency!: Agency;

  @Property({ type: 'string', length: 255, hidden: true })
  passwordHash!: string;

  @Property({ type: 'boolean' })
  isPlatformAdmin: Opt<boolean> = false;

  /** The national programme role: national aggregates only. Granted by a platform administrator. */
  @Property({ type: 'boolean' })
  isNationalProgramme: Opt<boolean> = false;

  @Property({ type: 'datetime', nullable: true })
  disabledAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
