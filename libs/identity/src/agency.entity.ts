import { Entity, Enum, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { AgencyKind } from '@hub/access';
import { randomUUID } from 'node:crypto';

/** An organisation members work for; its kind drives need-to-know in the access policy. */
@Entity({ tableName: 'agency' })
export class Agency {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 160, unique: true })
  name!: string;

  @Enum({ items: () => AgencyKind, type: 'string', length: 32 })
  kind!: AgencyKind;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
