import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, canSeeTaskForce } from '@hub/access';
import { AgenciesService, MembersService } from '@hub/identity';
import { GraphQLContext, type NoArgs } from '../graphql/context';
import { mapMaybe, type Maybe } from '../graphql/loaders';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { MembershipModel } from '../task-forces/task-force.model';
import { CreateAgencyInput, CreateMemberInput } from './member.input';
import { AgencyModel, MemberModel } from './member.model';

@Resolver(() => MemberModel)
export class MembersResolver {
  constructor(
    private readonly memberService: MembersService,
    private readonly agencyService: AgenciesService,
  ) {}

  @Query(() => MemberModel, { description: 'The signed-in member, with their memberships.' })
  async me(@CurrentActor() actor: Actor): Promise<MemberModel> {
    return MemberModel.from(await this.memberService.me(actor));
  }

  @Query(() => [MemberModel], { description: 'Administrators: every member of the platform.' })
  async members(@CurrentActor() actor: Actor): Promise<MemberModel[]> {
    return (await this.memberService.list(actor)).map(MemberModel.from);
  }

  @Query(() => [AgencyModel])
  async agencies(): Promise<AgencyModel[]> {
    return (await this.agencyService.list()).map(AgencyModel.from);
  }

  @Mutation(() => AgencyModel, { description: 'Administrators: register an agency.' })
  async createAgency(@CurrentActor() actor: Actor, @Args('input') input: CreateAgencyInput): Promise<AgencyModel> {
    return AgencyModel.from(await this.agencyService.create(actor, input));
  }

  @Mutation(() => MemberModel, { description: 'Administrators anywhere; coordinators into their own task force.' })
  async createMember(@CurrentActor() actor: Actor, @Args('input') input: CreateMemberInput): Promise<MemberModel> {
    return MemberModel.from(await this.memberService.create(actor, input));
  }

  @Mutation(() => MemberModel, { description: 'Administrators: disable a member and end all their sessions at once.' })
  async disableMember(
    @CurrentActor() actor: Actor,
    @Args('memberId', { type: () => ID }, uuid('memberId')) memberId: string,
  ): Promise<MemberModel> {
    return MemberModel.from(await this.memberService.disable(actor, memberId));
  }

  @Mutation(() => MemberModel, {
    description: 'Administrators: grant or withdraw the national programme role (the national roll-up only).',
  })
  async setNationalProgrammeRole(
    @CurrentActor() actor: Actor,
    @Args('memberId', { type: () => ID }, uuid('memberId')) memberId: string,
    @Args('granted') granted: boolean,
  ): Promise<MemberModel> {
    return MemberModel.from(await this.memberService.setNationalProgramme(actor, memberId, granted));
  }

  @ResolveField(() => AgencyModel)
  agency(member: MemberModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<AgencyModel> {
    return mapMaybe(loaders.agency.get(member.agencyId), (agency) => AgencyModel.from(agency!));
  }

  /** Another member's memberships only in task forces the viewer can see: no cross-task-force leak. */
  @ResolveField(() => [MembershipModel])
  async memberships(
    @Parent() member: MemberModel,
    @CurrentActor() actor: Actor,
    @Context() { loaders }: GraphQLContext,
  ): Promise<MembershipModel[]> {
    const memberships = await loaders.membershipsByMember.load(member.id);
    return memberships.filter((m) => canSeeTaskForce(actor, m.taskForce.id)).map(MembershipModel.from);
  }
}
