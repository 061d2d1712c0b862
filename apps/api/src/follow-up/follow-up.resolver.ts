import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { FollowUpService } from '@hub/follow-up';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { MeetingModel } from '../meetings/meeting.model';
import { FollowUpSectionModel, OpenEndsModel, SinceLastMeetingModel } from './follow-up.model';

/** The work between meetings: each field asks FollowUpService, which checks the reader. */
@Resolver(() => MeetingModel)
export class FollowUpResolver {
  constructor(private readonly service: FollowUpService) {}

  @ResolveField(() => FollowUpSectionModel, {
    description: 'For a meeting of a series: what the meetings before it left open.',
  })
  async followUp(@CurrentActor() actor: Actor, @Parent() meeting: MeetingModel): Promise<FollowUpSectionModel> {
    return FollowUpSectionModel.from(await this.service.followUp(actor, meeting.id));
  }

  @ResolveField(() => OpenEndsModel, { description: 'What is still open: shown before the meeting is ended.' })
  async openEnds(@CurrentActor() actor: Actor, @Parent() meeting: MeetingModel): Promise<OpenEndsModel> {
    return OpenEndsModel.from(await this.service.openEnds(actor, meeting.id));
  }

  @Query(() => SinceLastMeetingModel)
  async sinceLastMeeting(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
  ): Promise<SinceLastMeetingModel> {
    return SinceLastMeetingModel.from(await this.service.sinceLastMeeting(actor, taskForceId));
  }
}
