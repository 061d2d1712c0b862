import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Membership } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { TaskForceRole } from '../graphql/enums';

@ObjectType('TaskForce')
export class TaskForceModel {
  @Field(() => ID) id: string;
  @Field({ description: 'Short code, such as BUC.' }) code: string;
  @Field() name: string;
  @Field() region: string;
  @Field() courtOfAppeal: string;
  @Field(() => [String]) counties: string[];
  @Field() createdAt: Date;

  static from(taskForce: TaskForce): TaskForceModel {
    return Object.assign(new TaskForceModel(), {
      id: taskForce.id,
      code: taskForce.code,
      name: taskForce.name,
      region: taskForce.region,
      courtOfAppeal: taskForce.courtOfAppeal,
      counties: taskForce.counties,
      createdAt: taskForce.createdAt,
    });
  }
}

@ObjectType('Membership')
export class MembershipModel {
  @Field(() => ID) id: string;
  @Field(() => TaskForceRole) role: TaskForceRole;
  @Field() createdAt: Date;

  /** Not exposed: read by field resolvers through loaders. */
  memberId: string;
  taskForceId: string;

  static from(membership: Membership): MembershipModel {
    return Object.assign(new MembershipModel(), {
      id: membership.id,
      role: membership.role,
      createdAt: membership.createdAt,
      memberId: membership.member.id,
      taskForceId: membership.taskForce.id,
    });
  }
}
