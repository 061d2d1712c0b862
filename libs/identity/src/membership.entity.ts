import { Entity, Enum, ManyToOne, Opt, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { TaskForceRole } from '@hub/access';
import { TaskForce } from '@hub/task-forces';
import { randomUUID } from 'node:crypto';
import { Member } from './member.entity';

/** A member's role in one task force. At most one per member and task force. */
@Entity({ tableName: 'membership' })
@Unique({ properties: ['taskForce', 'member'] })
export class Membership {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => TaskForce })
  taskForce!: TaskForce;

  @ManyToOne({ entity: () => Member, index: true })
  member!: Member;

  @Enum({ items: () => TaskForceRole, type: 'string', length: 16 })
  role!: TaskForceRole;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
