import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { NOT_BLANK, OptionalNotNull } from '../graphql/validation-rules';
import {
  ArrayMaxSize,
  IsBoolean,
  IsObject,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ActionItemPriority, ActionItemScope, ActionItemStatus } from '../graphql/enums';

const DUE = { message: 'dueOn must be a date written YYYY-MM-DD, such as 2026-12-15.' };
const TITLE = { message: 'title must be between 1 and 200 characters.' };
const DESCRIPTION_MAX = 5_000;

@InputType()
export class AssigneeInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'assignee.memberId must be a member id (a UUID).' })
  memberId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Anyone of this agency in the task force may take it.' })
  @IsOptional()
  @IsUUID('all', { message: 'assignee.agencyId must be an agency id (a UUID).' })
  agencyId?: string | null;
}

@InputType()
export class CreateActionItemInput {
  @Field(() => ID) @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' }) taskForceId: string;
  @Field() @IsString() @Length(1, 200, TITLE) @Matches(/\S/, NOT_BLANK('title')) title: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX, { message: `description must be at most ${DESCRIPTION_MAX} characters.` })
  description?: string | null;
  @Field() @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, DUE) dueOn: string;
  @Field(() => ActionItemPriority, { nullable: true })
  @IsOptional()
  @IsEnum(ActionItemPriority)
  priority?: ActionItemPriority;
  @Field(() => AssigneeInput) @ValidateNested() @Type(() => AssigneeInput) assignee: AssigneeInput;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'caseSummaryId must be a case summary id (a UUID).' })
  caseSummaryId?: string | null;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' })
  meetingId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The decision it arose from (its meeting is then implied).' })
  @IsOptional()
  @IsUUID('all', { message: 'decisionId must be a decision id (a UUID).' })
  decisionId?: string | null;
}

@InputType()
export class EditActionItemInput {
  @Field(() => ID) @IsUUID('all', { message: 'id must be an action item id (a UUID).' }) id: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString(TITLE)
  @Length(1, 200, TITLE)
  @Matches(/\S/, NOT_BLANK('title'))
  title?: string;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(DESCRIPTION_MAX, { message: `description must be at most ${DESCRIPTION_MAX} characters.` })
  description?: string | null;
  @Field({ nullable: true }) @OptionalNotNull() @IsString(DUE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DUE) dueOn?: string;
  @Field(() => ActionItemPriority, { nullable: true })
  @OptionalNotNull()
  @IsEnum(ActionItemPriority, { message: 'priority must be LOW, NORMAL, HIGH or URGENT; it cannot be cleared.' })
  priority?: ActionItemPriority;
  @Field(() => AssigneeInput, { nullable: true, description: 'Coordinators only.' })
  @OptionalNotNull()
  @IsObject({ message: 'assignee cannot be cleared: assign a member or an agency.' })
  @ValidateNested()
  @Type(() => AssigneeInput)
  assignee?: AssigneeInput;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'caseSummaryId must be a case summary id (a UUID).' })
  caseSummaryId?: string | null;
}

@InputType()
export class ActionItemFilterInput {
  @Field(() => ActionItemScope, { nullable: true, defaultValue: ActionItemScope.TASK_FORCE })
  @IsOptional()
  @IsEnum(ActionItemScope)
  scope?: ActionItemScope;
  @Field(() => [ActionItemStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsEnum(ActionItemStatus, { each: true })
  statuses?: ActionItemStatus[];
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeMemberId must be a member id (a UUID).' })
  assigneeMemberId?: string;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'assigneeAgencyId must be an agency id (a UUID).' })
  assigneeAgencyId?: string;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'caseSummaryId must be a case summary id (a UUID).' })
  caseSummaryId?: string;
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'meetingId must be a meeting id (a UUID).' })
  meetingId?: string;
  @Field({ nullable: true, description: 'Past their due date and not done or cancelled.' })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;
  @Field({ nullable: true, description: 'Due Monday to Sunday of this week, and not done or cancelled.' })
  @IsOptional()
  @IsBoolean()
  dueThisWeek?: boolean;
}

@ArgsType()
export class ActionItemsArgs {
  @Field(() => ID) @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' }) taskForceId: string;
  @Field(() => ActionItemFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ActionItemFilterInput)
  filter?: ActionItemFilterInput;
  @Field(() => Int, { defaultValue: 50 })
  @IsInt()
  @Min(1, { message: 'first must be at least 1.' })
  @Max(200, { message: 'first must be at most 200.' })
  first: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) after?: string;
}

@ArgsType()
export class ChangeStatusArgs {
  @Field(() => ID) @IsUUID('all', { message: 'id must be an action item id (a UUID).' }) id: string;
  @Field(() => ActionItemStatus) @IsEnum(ActionItemStatus) status: ActionItemStatus;
  @Field(() => String, { nullable: true, description: 'Required when blocking.' })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'reason must be at most 500 characters.' })
  reason?: string | null;
}

@ArgsType()
export class CommentArgs {
  @Field(() => ID) @IsUUID('all', { message: 'id must be an action item id (a UUID).' }) id: string;
  @Field()
  @IsString()
  @Length(1, DESCRIPTION_MAX, { message: `text must be between 1 and ${DESCRIPTION_MAX} characters.` })
  @Matches(/\S/, NOT_BLANK('text'))
  text: string;
}
