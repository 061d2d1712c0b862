import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { NOT_BLANK, OptionalNotNull } from '../graphql/validation-rules';
import {
  Matches,
  ArrayMaxSize,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MeetingStatus, SeriesCadence } from '../graphql/enums';

const TITLE = { message: 'title must be between 1 and 200 characters.' };
const TEXT_MAX = 5_000;

@InputType()
export class AgendaItemInput {
  @Field() @IsString() @Length(1, 200, TITLE) @Matches(/\S/, NOT_BLANK('title')) title: string;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'presenterId must be a member id (a UUID).' })
  presenterId?: string | null;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'caseSummaryId must be a case summary id (a UUID).' })
  caseSummaryId?: string | null;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'timeBoxMinutes must be at least 1.' })
  @Max(480, { message: 'timeBoxMinutes must be at most 480.' })
  timeBoxMinutes?: number | null;
}

@InputType()
export class ScheduleMeetingInput {
  @Field(() => ID) @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' }) taskForceId: string;
  @Field() @IsString() @Length(1, 200, TITLE) @Matches(/\S/, NOT_BLANK('title')) title: string;
  @Field() @Type(() => Date) @IsDate() startsAt: Date;
  @Field() @Type(() => Date) @IsDate() endsAt: Date;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'place must be at most 200 characters.' })
  place?: string | null;
  @Field(() => String, { nullable: true, description: 'An https link to the video call.' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'callLink must be an https:// link.' })
  @MaxLength(500)
  callLink?: string | null;
  @Field(() => [AgendaItemInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50, { message: 'agenda may have at most 50 items.' })
  @ValidateNested({ each: true })
  @Type(() => AgendaItemInput)
  agenda?: AgendaItemInput[];
  @Field(() => ID, { nullable: true, description: "Start from this template's agenda; `agenda` items follow it." })
  @IsOptional()
  @IsUUID('all', { message: 'templateId must be an agenda template id (a UUID).' })
  templateId?: string | null;
}

@InputType()
export class CreateMeetingSeriesInput {
  @Field(() => ID) @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' }) taskForceId: string;
  @Field() @IsString() @Length(1, 200, TITLE) @Matches(/\S/, NOT_BLANK('title')) title: string;
  @Field(() => SeriesCadence) @IsEnum(SeriesCadence) cadence: SeriesCadence;
  @Field(() => Int, { description: '1 = Monday … 7 = Sunday.' }) @IsInt() weekday: number;
  @Field(() => Int, { defaultValue: 1, description: 'Every how many weeks (WEEKLY) or months (MONTHLY).' })
  @IsInt()
  interval: number;
  @Field(() => Int, { nullable: true, description: 'MONTHLY: 1–4, or -1 for the last one of the month.' })
  @IsOptional()
  @IsInt()
  weekOfMonth?: number | null;
  @Field({ description: 'HH:MM in Bucharest.' }) @IsString() @MaxLength(5) startTime: string;
  @Field(() => Int) @IsInt() durationMinutes: number;
  @Field({ description: 'YYYY-MM-DD: the first day the series may fall on.' })
  @IsString()
  @MaxLength(10)
  startsOn: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'place must be at most 200 characters.' })
  place?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'callLink must be an https:// link.' })
  @MaxLength(500)
  callLink?: string | null;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'templateId must be an agenda template id (a UUID).' })
  templateId?: string | null;
}

@InputType()
export class EditMeetingInput {
  @Field(() => ID) @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' }) meetingId: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString(TITLE)
  @Length(1, 200, TITLE)
  @Matches(/\S/, NOT_BLANK('title'))
  title?: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @Type(() => Date)
  @IsDate({ message: 'startsAt must be a date and time; it cannot be cleared.' })
  startsAt?: Date;
  @Field({ nullable: true })
  @OptionalNotNull()
  @Type(() => Date)
  @IsDate({ message: 'endsAt must be a date and time; it cannot be cleared.' })
  endsAt?: Date;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'place must be at most 200 characters.' })
  place?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'callLink must be an https:// link.' })
  @MaxLength(500)
  callLink?: string | null;
}

@InputType()
export class AddAgendaItemInput extends AgendaItemInput {
  @Field(() => ID) @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' }) meetingId: string;
  @Field(() => Int, { nullable: true, description: 'Where to insert it (0-based); at the end when omitted.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  position?: number | null;
}

@InputType()
export class UpdateAgendaItemInput {
  @Field(() => ID) @IsUUID('all', { message: 'agendaItemId must be an agenda item id (a UUID).' }) agendaItemId: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString(TITLE)
  @Length(1, 200, TITLE)
  @Matches(/\S/, NOT_BLANK('title'))
  title?: string;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'presenterId must be a member id (a UUID).' })
  presenterId?: string | null;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'caseSummaryId must be a case summary id (a UUID).' })
  caseSummaryId?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(480) timeBoxMinutes?: number | null;
}

@InputType()
export class MinuteNoteInput {
  @Field(() => ID) @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' }) meetingId: string;
  @Field(() => ID) @IsUUID('all', { message: 'agendaItemId must be an agenda item id (a UUID).' }) agendaItemId: string;
  @Field()
  @IsString()
  @Length(1, TEXT_MAX, { message: `text must be between 1 and ${TEXT_MAX} characters.` })
  @Matches(/\S/, NOT_BLANK('text'))
  text: string;
}

@InputType()
export class DecisionInput extends MinuteNoteInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'caseSummaryId must be a case summary id (a UUID).' })
  caseSummaryId?: string | null;
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD: it comes back in the series' follow-up then." })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  reviewOn?: string | null;
  @Field(() => [ID], {
    nullable: true,
    description: 'Action items of this meeting that arise from the decision: linked explicitly, never implied.',
  })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'actionItemIds must be action item ids (UUIDs).' })
  actionItemIds?: string[];
}

@InputType()
export class CorrectMinuteNoteInput {
  @Field(() => ID) @IsUUID('all', { message: 'noteId must be a note id (a UUID).' }) noteId: string;
  @Field()
  @IsString()
  @Length(1, TEXT_MAX, { message: `text must be between 1 and ${TEXT_MAX} characters.` })
  @Matches(/\S/, NOT_BLANK('text'))
  text: string;
}

@InputType()
export class MeetingFilterInput {
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @Field({ nullable: true }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @Field(() => MeetingStatus, { nullable: true }) @IsOptional() @IsEnum(MeetingStatus) status?: MeetingStatus;
}
