import {
  Args,
  ArgsType,
  Context,
  Field,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { type GraphQLResolveInfo } from 'graphql';
import { Actor } from '@hub/access';
import { CalendarService, minutesLanguage, MinutesService } from '@hub/exports';
import { FollowUpService } from '@hub/follow-up';
import { meetingCursor, MeetingsService } from '@hub/meetings';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ActionItemModel } from '../action-items/action-item.model';
import { CaseSummaryModel } from '../case-summaries/case-summary.model';
import { GraphQLContext, type NoArgs } from '../graphql/context';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { AttendanceMode } from '../graphql/enums';
import { uuid } from '../graphql/uuid.pipe';
import { mapMaybe, type Maybe, meetingListsFor } from '../graphql/loaders';
import { selectedFields } from '../graphql/selection';
import { MemberModel } from '../members/member.model';
import { TaskForceModel } from '../task-forces/task-force.model';
import { calendarUrl } from '../exports/calendar-url';
import {
  AddAgendaItemInput,
  CorrectMinuteNoteInput,
  CreateMeetingSeriesInput,
  DecisionInput,
  EditMeetingInput,
  MeetingFilterInput,
  MinuteNoteInput,
  ScheduleMeetingInput,
  UpdateAgendaItemInput,
} from './meeting.input';
import {
  AgendaItemModel,
  AgendaTemplateModel,
  AttendanceModel,
  CalendarFeedModel,
  DecisionModel,
  MeetingModel,
  MeetingPageModel,
  MeetingSeriesModel,
  MinuteNoteModel,
  MinuteNoteRevisionModel,
  MinutesDocumentModel,
  SeriesCreatedModel,
} from './meeting.model';

@ArgsType()
class MeetingsArgs {
  @Field(() => ID) @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' }) taskForceId: string;
  @Field(() => MeetingFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeetingFilterInput)
  filter?: MeetingFilterInput;
  @Field(() => Int, { defaultValue: 50 })
  @IsInt()
  @Min(1, { message: 'first must be at least 1.' })
  @Max(200, { message: 'first must be at most 200.' })
  first: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) after?: string;
}

@ArgsType()
class ReorderArgs {
  @Field(() => ID) @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' }) meetingId: string;
  @Field(() => [ID])
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'agendaItemIds must be agenda item ids (UUIDs).' })
  agendaItemIds: string[];
}

@ArgsType()
class CancelArgs {
  @Field(() => ID) @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' }) meetingId: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'reason must be at most 500 characters.' })
  reason?: string | null;
}

@ArgsType()
class SaveTemplateArgs {
  @Field(() => ID) @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' }) meetingId: string;
  @Field() @IsString() @MaxLength(200, { message: 'name must be at most 200 characters.' }) name: string;
}

@Resolver(() => MeetingModel)
export class MeetingsResolver {
  constructor(
    private readonly service: MeetingsService,
    private readonly followUp: FollowUpService,
    private readonly minutes: MinutesService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => MeetingPageModel, { description: "A task force's meetings by start time, with cursor pagination." })
  async meetings(
    @CurrentActor() actor: Actor,
    @Args() { taskForceId, filter, first, after }: MeetingsArgs,
  ): Promise<MeetingPageModel> {
    const page = await this.service.list(actor, taskForceId, filter ?? {}, first, after);
    const last = page.meetings.at(-1);
    return {
      nodes: page.meetings.map(MeetingModel.from),
      pageInfo: { endCursor: last ? meetingCursor(last) : null, hasNextPage: page.hasNextPage },
    };
  }

  @Query(() => MeetingModel)
  async meeting(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
    @Context() { loaders }: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<MeetingModel> {
    // The lists the query asks for come with the meeting, in its statement, instead of a wave later.
    const parts = meetingListsFor(selectedFields(info));
    if (!Object.keys(parts).length) return MeetingModel.from(await this.service.get(actor, id));
    const { meeting, lists } = await this.service.getWith(actor, id, parts);
    loaders.knownMeetingLists(meeting.id, lists);
    return MeetingModel.from(meeting);
  }

  @Query(() => MinutesDocumentModel, {
    description:
      'The minutes (proces-verbal) as a Markdown document, also at GET /meetings/:id/minutes.md; as a PDF at GET /meetings/:id/minutes.pdf.',
  })
  async meetingMinutes(
    @CurrentActor() actor: Actor,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
    @Args('language', {
      type: () => String,
      nullable: true,
      description: '"ro" (the default) or "en": the language every heading and value label is written in.',
    })
    language?: string | null,
  ): Promise<MinutesDocumentModel> {
    const document = await this.minutes.document(actor, meetingId, minutesLanguage(language, 'language'));
    return { filename: document.filename, contentType: 'text/markdown; charset=utf-8', content: document.markdown };
  }

  @Mutation(() => MeetingModel)
  async scheduleMeeting(
    @CurrentActor() actor: Actor,
    @Args('input') input: ScheduleMeetingInput,
  ): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.schedule(actor, input));
  }

  @Mutation(() => SeriesCreatedModel, { description: 'Sets up a meeting series and schedules its first meeting.' })
  async createMeetingSeries(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateMeetingSeriesInput,
  ): Promise<SeriesCreatedModel> {
    const { series, meeting } = await this.service.createSeries(actor, input);
    return { series: MeetingSeriesModel.from(series), meeting: MeetingModel.from(meeting) };
  }

  @Mutation(() => MeetingModel, {
    description: "Schedules the series' next meeting: the rule's first day after its latest meeting.",
  })
  async scheduleNextInSeries(
    @CurrentActor() actor: Actor,
    @Args('seriesId', { type: () => ID }, uuid('seriesId')) seriesId: string,
  ): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.scheduleNextInSeries(actor, seriesId));
  }

  @Query(() => [MeetingSeriesModel], { description: "A task force's meeting series, by title." })
  async meetingSeries(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
  ): Promise<MeetingSeriesModel[]> {
    return (await this.service.seriesOf(actor, taskForceId)).map(MeetingSeriesModel.from);
  }

  @Mutation(() => AgendaTemplateModel, {
    description: "Saves the meeting's agenda (titles, time boxes) as a template.",
  })
  async saveAgendaTemplate(
    @CurrentActor() actor: Actor,
    @Args() { meetingId, name }: SaveTemplateArgs,
  ): Promise<AgendaTemplateModel> {
    return AgendaTemplateModel.from(await this.service.saveTemplate(actor, meetingId, name));
  }

  @Query(() => [AgendaTemplateModel], { description: "A task force's agenda templates, by name." })
  async agendaTemplates(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
  ): Promise<AgendaTemplateModel[]> {
    return (await this.service.templates(actor, taskForceId)).map(AgendaTemplateModel.from);
  }

  @Mutation(() => MeetingModel)
  async editMeeting(
    @CurrentActor() actor: Actor,
    @Args('input') { meetingId, ...changes }: EditMeetingInput,
  ): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.edit(actor, meetingId, changes));
  }

  @Mutation(() => MeetingModel)
  async cancelMeeting(@CurrentActor() actor: Actor, @Args() { meetingId, reason }: CancelArgs): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.cancel(actor, meetingId, reason));
  }

  @Mutation(() => AgendaItemModel)
  async addAgendaItem(
    @CurrentActor() actor: Actor,
    @Args('input') { meetingId, position, ...item }: AddAgendaItemInput,
  ): Promise<AgendaItemModel> {
    return AgendaItemModel.from(await this.service.addAgendaItem(actor, meetingId, item, position));
  }

  @Mutation(() => AgendaItemModel)
  async updateAgendaItem(
    @CurrentActor() actor: Actor,
    @Args('input') { agendaItemId, ...changes }: UpdateAgendaItemInput,
  ): Promise<AgendaItemModel> {
    return AgendaItemModel.from(await this.service.updateAgendaItem(actor, agendaItemId, changes));
  }

  @Mutation(() => AgendaItemModel, {
    description: 'Only items without minutes or decisions; returns the item as it was.',
  })
  async removeAgendaItem(
    @CurrentActor() actor: Actor,
    @Args('agendaItemId', { type: () => ID }, uuid('agendaItemId')) agendaItemId: string,
  ): Promise<AgendaItemModel> {
    return AgendaItemModel.from(await this.service.removeAgendaItem(actor, agendaItemId));
  }

  @Mutation(() => [AgendaItemModel], { description: 'Name every agenda item once, in the new order.' })
  async reorderAgenda(
    @CurrentActor() actor: Actor,
    @Args() { meetingId, agendaItemIds }: ReorderArgs,
  ): Promise<AgendaItemModel[]> {
    return (await this.service.reorderAgenda(actor, meetingId, agendaItemIds)).map(AgendaItemModel.from);
  }

  @Mutation(() => MeetingModel)
  async startMeeting(
    @CurrentActor() actor: Actor,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
  ): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.start(actor, meetingId));
  }

  @Mutation(() => MeetingModel, { description: 'To the next agenda item, or to agendaItemId.' })
  async advanceAgenda(
    @CurrentActor() actor: Actor,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
    @Args('agendaItemId', { type: () => ID, nullable: true }, uuid('agendaItemId', { optional: true }))
    agendaItemId?: string,
  ): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.advance(actor, meetingId, agendaItemId));
  }

  @Mutation(() => MeetingModel)
  async endMeeting(
    @CurrentActor() actor: Actor,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
  ): Promise<MeetingModel> {
    return MeetingModel.from(await this.service.end(actor, meetingId));
  }

  @Mutation(() => AttendanceModel, {
    description: 'Check yourself in; coordinators may pass memberId to mark someone else.',
  })
  async checkIn(
    @CurrentActor() actor: Actor,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
    @Args('mode', { type: () => AttendanceMode }) mode: AttendanceMode,
    @Args('memberId', { type: () => ID, nullable: true }, uuid('memberId', { optional: true })) memberId?: string,
  ): Promise<AttendanceModel> {
    return AttendanceModel.from(await this.service.checkIn(actor, meetingId, mode, memberId));
  }

  @Mutation(() => AttendanceModel)
  async checkOut(
    @CurrentActor() actor: Actor,
    @Args('meetingId', { type: () => ID }, uuid('meetingId')) meetingId: string,
    @Args('memberId', { type: () => ID, nullable: true }, uuid('memberId', { optional: true })) memberId?: string,
  ): Promise<AttendanceModel> {
    return AttendanceModel.from(await this.service.checkOut(actor, meetingId, memberId));
  }

  @Mutation(() => MinuteNoteModel)
  async addMinuteNote(@CurrentActor() actor: Actor, @Args('input') input: MinuteNoteInput): Promise<MinuteNoteModel> {
    return MinuteNoteModel.from(await this.service.addNote(actor, input.meetingId, input.agendaItemId, input.text));
  }

  @Mutation(() => MinuteNoteModel, {
    description: 'The author corrects their note while the meeting runs; the earlier text stays in its history.',
  })
  async correctMinuteNote(
    @CurrentActor() actor: Actor,
    @Args('input') input: CorrectMinuteNoteInput,
  ): Promise<MinuteNoteModel> {
    return MinuteNoteModel.from(await this.service.correctNote(actor, input.noteId, input.text));
  }

  @Mutation(() => DecisionModel, {
    description: 'With the case summary and the action items of this meeting it links, all chosen explicitly.',
  })
  async recordDecision(@CurrentActor() actor: Actor, @Args('input') input: DecisionInput): Promise<DecisionModel> {
    return DecisionModel.from(await this.followUp.recordDecision(actor, input));
  }

  @Mutation(() => CalendarFeedModel, {
    description: 'A new secret calendar URL for your meetings; any earlier one stops working.',
  })
  async createCalendarFeed(
    @CurrentActor() actor: Actor,
    @Context() { req }: GraphQLContext,
  ): Promise<CalendarFeedModel> {
    return { url: calendarUrl(req, await this.calendar.createFeed(actor)) };
  }

  @Mutation(() => Boolean, { description: 'Your calendar URL stops working. False if you had none.' })
  revokeCalendarFeed(@CurrentActor() actor: Actor): Promise<boolean> {
    return this.calendar.revokeFeed(actor);
  }

  @ResolveField(() => TaskForceModel)
  taskForce(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<TaskForceModel> {
    return mapMaybe(loaders.taskForce.get(meeting.taskForceId), (row) => TaskForceModel.from(row!));
  }

  @ResolveField(() => MeetingSeriesModel, { nullable: true })
  series(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MeetingSeriesModel | null> {
    return meeting.seriesId
      ? mapMaybe(loaders.series.get(meeting.seriesId), (row) => MeetingSeriesModel.from(row!))
      : null;
  }

  @ResolveField(() => [AgendaItemModel], { description: 'In agenda order.' })
  agenda(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<AgendaItemModel[]> {
    return mapMaybe(loaders.agendaByMeeting.get(meeting.id), (rows) => rows.map(AgendaItemModel.from));
  }

  @ResolveField(() => AgendaItemModel, {
    nullable: true,
    description: 'The item under discussion while the meeting is live.',
  })
  currentAgendaItem(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<AgendaItemModel | null> {
    const current = meeting.currentAgendaItemId;
    if (!current) return null;
    return mapMaybe(loaders.agendaByMeeting.get(meeting.id), (agenda) => {
      const item = agenda.find((a) => a.id === current);
      return item ? AgendaItemModel.from(item) : null;
    });
  }

  @ResolveField(() => [AttendanceModel], {
    description: 'Arrivals in order; a member who left and came back appears twice.',
  })
  attendance(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<AttendanceModel[]> {
    return mapMaybe(loaders.attendanceByMeeting.get(meeting.id), (rows) => rows.map(AttendanceModel.from));
  }

  @ResolveField(() => [DecisionModel])
  decisions(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<DecisionModel[]> {
    return mapMaybe(loaders.decisionsByMeeting.get(meeting.id), (rows) => rows.map(DecisionModel.from));
  }

  @ResolveField(() => [ActionItemModel], { description: 'Action items created in this meeting.' })
  actionItems(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<ActionItemModel[]> {
    return mapMaybe(loaders.actionItemsByMeeting.get(meeting.id), (rows) => rows.map(ActionItemModel.from));
  }
}

@Resolver(() => AgendaItemModel)
export class AgendaItemsResolver {
  @ResolveField(() => MemberModel, { nullable: true })
  presenter(item: AgendaItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel | null> {
    return item.presenterId ? mapMaybe(loaders.member.get(item.presenterId), (row) => MemberModel.from(row!)) : null;
  }

  @ResolveField(() => CaseSummaryModel, { nullable: true })
  caseSummary(item: AgendaItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<CaseSummaryModel | null> {
    return item.caseSummaryId
      ? mapMaybe(loaders.caseSummary.get(item.caseSummaryId), (row) => CaseSummaryModel.from(row!))
      : null;
  }

  @ResolveField(() => [MinuteNoteModel], { description: 'Minutes notes, oldest first.' })
  notes(item: AgendaItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MinuteNoteModel[]> {
    return mapMaybe(loaders.notesByAgendaItem.get(item.id), (rows) => rows.map(MinuteNoteModel.from));
  }
}

@Resolver(() => AttendanceModel)
export class AttendanceResolver {
  @ResolveField(() => MemberModel)
  member(attendance: AttendanceModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(attendance.memberId), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => MemberModel)
  markedBy(attendance: AttendanceModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(attendance.markedById), (row) => MemberModel.from(row!));
  }
}

@Resolver(() => MinuteNoteModel)
export class MinuteNotesResolver {
  @ResolveField(() => MemberModel)
  author(note: MinuteNoteModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(note.authorId), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => [MinuteNoteRevisionModel], { description: 'Earlier texts, oldest first.' })
  history(note: MinuteNoteModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MinuteNoteRevisionModel[]> {
    return mapMaybe(loaders.revisionsByNote.get(note.id), (rows) => rows.map(MinuteNoteRevisionModel.from));
  }
}

@Resolver(() => DecisionModel)
export class DecisionsResolver {
  @ResolveField(() => MemberModel)
  recordedBy(decision: DecisionModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(decision.recordedById), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => CaseSummaryModel, { nullable: true })
  async caseSummary(decision: DecisionModel, _: NoArgs, { loaders }: GraphQLContext): Promise<CaseSummaryModel | null> {
    return decision.caseSummaryId
      ? CaseSummaryModel.from((await loaders.caseSummary.load(decision.caseSummaryId))!)
      : null;
  }

  @ResolveField(() => [ActionItemModel], { description: 'Action items that arose from this decision.' })
  actionItems(decision: DecisionModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<ActionItemModel[]> {
    return mapMaybe(loaders.actionItemsByDecision.get(decision.id), (rows) => rows.map(ActionItemModel.from));
  }
}
