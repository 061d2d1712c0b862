import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { OptionalNotNull } from '../graphql/validation-rules';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsObject,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CaseStage, ExploitationForm } from '../graphql/enums';

const SECTION_MAX = 20_000;

@InputType()
export class CaseCountsInput {
  @Field(() => Int, { nullable: true })
  @OptionalNotNull()
  @IsInt({ message: 'counts must be whole numbers; they cannot be cleared.' })
  @Min(0, { message: 'victims cannot be negative.' })
  @Max(100_000)
  victims?: number;
  @Field(() => Int, { nullable: true })
  @OptionalNotNull()
  @IsInt({ message: 'counts must be whole numbers; they cannot be cleared.' })
  @Min(0, { message: 'minors cannot be negative.' })
  @Max(100_000)
  minors?: number;
  @Field(() => Int, { nullable: true })
  @OptionalNotNull()
  @IsInt({ message: 'counts must be whole numbers; they cannot be cleared.' })
  @Min(0, { message: 'victimsInProceedings cannot be negative.' })
  @Max(100_000)
  victimsInProceedings?: number;
  @Field(() => Int, { nullable: true })
  @OptionalNotNull()
  @IsInt({ message: 'counts must be whole numbers; they cannot be cleared.' })
  @Min(0, { message: 'protectedWitnesses cannot be negative.' })
  @Max(100_000)
  protectedWitnesses?: number;
}

@InputType()
export class CaseSectionsInput {
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString({ message: 'a section is text; send an empty string to clear it.' })
  @MaxLength(SECTION_MAX, { message: `overview must be at most ${SECTION_MAX} characters.` })
  overview?: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString({ message: 'a section is text; send an empty string to clear it.' })
  @MaxLength(SECTION_MAX, { message: `investigation must be at most ${SECTION_MAX} characters.` })
  investigation?: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString({ message: 'a section is text; send an empty string to clear it.' })
  @MaxLength(SECTION_MAX, { message: `prosecution must be at most ${SECTION_MAX} characters.` })
  prosecution?: string;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString({ message: 'a section is text; send an empty string to clear it.' })
  @MaxLength(SECTION_MAX, { message: `victimSupport must be at most ${SECTION_MAX} characters.` })
  victimSupport?: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{2,31}$/;
const CODE_MESSAGE =
  'caseCode must be 3 to 32 letters, digits or dashes, such as BUC-2026-014: a pseudonymous code, never a name.';

@InputType()
export class CreateCaseSummaryInput {
  @Field(() => ID) @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' }) taskForceId: string;
  @Field() @IsString() @Matches(CODE, { message: CODE_MESSAGE }) caseCode: string;
  @Field(() => CaseStage) @IsEnum(CaseStage) stage: CaseStage;
  @Field(() => [ExploitationForm], { nullable: true })
  @IsOptional()
  @IsEnum(ExploitationForm, { each: true })
  @ArrayMaxSize(8)
  exploitationForms?: ExploitationForm[];
  @Field(() => CaseCountsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CaseCountsInput)
  counts?: CaseCountsInput;
  @Field(() => CaseSectionsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CaseSectionsInput)
  sections?: CaseSectionsInput;
}

@InputType()
export class UpdateCaseSummaryInput {
  @Field(() => ID) @IsUUID('all', { message: 'id must be a case summary id (a UUID).' }) id: string;
  @Field(() => Int, { description: 'The version your edit is based on; a newer one on the server means CONFLICT.' })
  @IsInt()
  @Min(1)
  baseVersion: number;
  @Field({ nullable: true })
  @OptionalNotNull()
  @IsString({ message: CODE_MESSAGE })
  @Matches(CODE, { message: CODE_MESSAGE })
  caseCode?: string;
  @Field(() => CaseStage, { nullable: true })
  @OptionalNotNull()
  @IsEnum(CaseStage, { message: 'stage cannot be cleared.' })
  stage?: CaseStage;
  @Field(() => [ExploitationForm], { nullable: true })
  @OptionalNotNull()
  @IsArray({ message: 'exploitationForms is a list; send [] to clear it.' })
  @IsEnum(ExploitationForm, { each: true })
  @ArrayMaxSize(8)
  exploitationForms?: ExploitationForm[];
  @Field(() => CaseCountsInput, { nullable: true })
  @OptionalNotNull()
  @IsObject({ message: 'counts cannot be cleared.' })
  @ValidateNested()
  @Type(() => CaseCountsInput)
  counts?: CaseCountsInput;
  @Field(() => CaseSectionsInput, { nullable: true, description: 'Only the sections you send are changed.' })
  @OptionalNotNull()
  @IsObject({ message: 'sections cannot be cleared; send the sections to change.' })
  @ValidateNested()
  @Type(() => CaseSectionsInput)
  sections?: CaseSectionsInput;
}

@InputType()
export class CaseSummaryFilterInput {
  @Field(() => CaseStage, { nullable: true }) @IsOptional() @IsEnum(CaseStage) stage?: CaseStage;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(32) codePrefix?: string;
}
