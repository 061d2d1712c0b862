import { Field, ObjectType } from '@nestjs/graphql';
import { type FollowUpSection, type OpenEnds, type SinceLastMeeting } from '@hub/follow-up';
import { ActionItemModel } from '../action-items/action-item.model';
import { LiveEventModel } from '../live/live-event.model';
import { AgendaItemModel, DecisionModel, MeetingModel } from '../meetings/meeting.model';

@ObjectType('FollowUpSection', {
  description: 'What a series meeting opens with: what the meetings before it left open. Empty outside a series.',
})
export class FollowUpSectionModel {
  @Field(() => MeetingModel, { nullable: true, description: 'The latest earlier meeting of the series that was held.' })
  previous: MeetingModel | null;
  @Field(() => [AgendaItemModel], { description: "Items of the previous meeting's agenda it never reached." })
  unfinishedAgenda: AgendaItemModel[];
  @Field(() => [DecisionModel], { description: 'Decisions of the series whose review date has come by this meeting.' })
  decisionsDue: DecisionModel[];
  @Field(() => [ActionItemModel], { description: 'Action items from the previous meeting that are still open.' })
  openActionItems: ActionItemModel[];
  @Field(() => [ActionItemModel], {
    description:
      "The task force's other action items overdue by this meeting's day (due before it, still open), at most 100.",
  })
  overdueActionItems: ActionItemModel[];

  static from(section: FollowUpSection): FollowUpSectionModel {
    return Object.assign(new FollowUpSectionModel(), {
      previous: section.previous ? MeetingModel.from(section.previous) : null,
      unfinishedAgenda: section.unfinishedAgenda.map(AgendaItemModel.from),
      decisionsDue: section.decisionsDue.map(DecisionModel.from),
      openActionItems: section.openActionItems.map(ActionItemModel.from),
      overdueActionItems: section.overdueActionItems.map(ActionItemModel.from),
    });
  }
}

@ObjectType('OpenEnds', { description: 'What is still open in a meeting: shown before it is ended.' })
export class OpenEndsModel {
  @Field(() => [ActionItemModel], { description: 'Assigned to an agency that no one of it has taken yet.' })
  unclaimedItems: ActionItemModel[];
  @Field(() => [DecisionModel], { description: 'Decisions with no action item and no review date.' })
  decisionsWithoutFollowUp: DecisionModel[];
  @Field(() => [AgendaItemModel]) agendaNotReached: AgendaItemModel[];

  static from(ends: OpenEnds): OpenEndsModel {
    return Object.assign(new OpenEndsModel(), {
      unclaimedItems: ends.unclaimedItems.map(ActionItemModel.from),
      decisionsWithoutFollowUp: ends.decisionsWithoutFollowUp.map(DecisionModel.from),
      agendaNotReached: ends.agendaNotReached.map(AgendaItemModel.from),
    });
  }
}

@ObjectType('SinceLastMeeting', {
  description: "What changed since the task force's last meeting ended, as far as you may know of it.",
})
export class SinceLastMeetingModel {
  @Field(() => MeetingModel, { nullable: true }) lastMeeting: MeetingModel | null;
  @Field(() => [LiveEventModel], {
    description:
      'Oldest first: action items, decisions, meetings, case summaries, memberships. Withheld ones are left out.',
  })
  events: LiveEventModel[];
  @Field({ description: 'True when more happened than is listed (the latest 200 are).' }) truncated: boolean;
  @Field(() => [ActionItemModel], { description: 'Open items past their due date now.' }) overdue: ActionItemModel[];

  static from(since: SinceLastMeeting): SinceLastMeetingModel {
    return Object.assign(new SinceLastMeetingModel(), {
      lastMeeting: since.lastMeeting ? MeetingModel.from(since.lastMeeting) : null,
      events: since.events.map(LiveEventModel.from),
      truncated: since.truncated,
      overdue: since.overdue.map(ActionItemModel.from),
    });
  }
}
