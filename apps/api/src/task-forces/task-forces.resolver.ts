import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, assertCan, roleIn } from '@hub/access';
import { MembershipsService } from '@hub/identity';
import { TaskForcesService } from '@hub/task-forces';
import { GraphQLContext, type NoArgs } from '../graphql/context';
import { mapMaybe, type Maybe } from '../graphql/loaders';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { TaskForceRole } from '../graphql/enums';
import { uuid } from '../graphql/uuid.pipe';
import { MemberModel } from '../members/member.model';
import { AddMembershipInput, ChangeMembershipRoleInput, CreateTaskForceInput } from './task-force.input';
import { MembershipModel, TaskForceModel } from './task-force.model';

@Resolver(() => TaskForceModel)
export class TaskForcesResolver {
  constructor(private readonly taskForceService: TaskForcesService) {}

  @Query(() => [TaskForceModel], { description: 'The task forces you belong to (administrators: all).' })
  async taskForces(@CurrentActor() actor: Actor): Promise<TaskForceModel[]> {
    return (await this.taskForceService.listVisible(actor)).map(TaskForceModel.from);
  }

  @Query(() => TaskForceModel)
  async taskForce(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<TaskForceModel> {
    return TaskForceModel.from(await this.taskForceService.get(actor, id));
  }

  @Mutation(() => TaskForceModel, { description: 'Administrators: create a task force.' })
  async createTaskForce(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateTaskForceInput,
  ): Promise<TaskForceModel> {
    return TaskForceModel.from(await this.taskForceService.create(actor, input));
  }

  @ResolveField(() => [MembershipModel])
  async members(
    @Parent() taskForce: TaskForceModel,
    @CurrentActor() actor: Actor,
    @Context() { loaders }: GraphQLContext,
  ): Promise<MembershipModel[]> {
    assertCan(actor, 'membership.read', taskForce.id);
    return (await loaders.membershipsByTaskForce.load(taskForce.id)).map(MembershipModel.from);
  }

  @ResolveField(() => TaskForceRole, {
    nullable: true,
    description: 'Your role here; null for an administrator who is not a member.',
  })
  myRole(@Parent() taskForce: TaskForceModel, @CurrentActor() actor: Actor): TaskForceRole | null {
    return roleIn(actor, taskForce.id) ?? null;
  }
}

@Resolver(() => MembershipModel)
export class MembershipsResolver {
  constructor(private readonly memberships: MembershipsService) {}

  @Mutation(() => MembershipModel, { description: 'Coordinators and administrators: add an existing member by email.' })
  async addMembership(
    @CurrentActor() actor: Actor,
    @Args('input') input: AddMembershipInput,
  ): Promise<MembershipModel> {
    return MembershipModel.from(await this.memberships.add(actor, input));
  }

  @Mutation(() => MembershipModel)
  async changeMembershipRole(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangeMembershipRoleInput,
  ): Promise<MembershipModel> {
    return MembershipModel.from(await this.memberships.changeRole(actor, input.membershipId, input.role));
  }

  @Mutation(() => MembershipModel, { description: 'Returns the membership as it was before removal.' })
  async removeMembership(
    @CurrentActor() actor: Actor,
    @Args('membershipId', { type: () => ID }, uuid('membershipId')) membershipId: string,
  ): Promise<MembershipModel> {
    return MembershipModel.from(await this.memberships.remove(actor, membershipId));
  }

  @ResolveField(() => MemberModel)
  member(membership: MembershipModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(membership.memberId), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => TaskForceModel)
  taskForce(membership: MembershipModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<TaskForceModel> {
    return mapMaybe(loaders.taskForce.get(membership.taskForceId), (row) => TaskForceModel.from(row!));
  }
}
