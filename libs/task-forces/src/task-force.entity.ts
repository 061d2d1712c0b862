import { Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** A regional task force, organised around a Court of Appeal (the LUPTA model). */
@Entity({ tableName: 'task_force' })
export class TaskForce {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Short, stable, upper-case code such as "BUC". */
  @Property({ type: 'string', length: 16, unique: true })
  code!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'string', length: 120 })
  region!: string;

  @Property({ type: 'string', length: 120 })
  courtOfAppeal!: string;

  @Property({ type: 'json' })
  counties: string[] = [];

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
