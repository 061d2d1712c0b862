import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CaseSection } from '../graphql/enums';
import {
  ConsentPoint,
  HearingKind,
  ReadinessItem,
  ReadinessState,
  ReferralPurpose,
  ReferralStatus,
} from './referral.model';

@InputType()
export class RecordConsentInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'caseSummaryId must be an id as returned by the API.' })
  caseSummaryId: string;
  @Field({ description: 'false records a refusal: only an anonymous count is kept.' })
  @IsBoolean()
  given: boolean;
  @Field(() => [ReferralPurpose])
  @IsArray()
  @ArrayMaxSize(7)
  @IsEnum(ReferralPurpose, { each: true })
  purposes: ReferralPurpose[];
  @Field(() => [ID])
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'receiverAgencyIds must be ids.' })
  receiverAgencyIds: string[];
  @Field(() => [CaseSection])
  @IsArray()
  @ArrayMaxSize(4)
  @IsEnum(CaseSection, { each: true })
  sections: CaseSection[];
  @Field({ description: 'The language it was explained in.' })
  @IsString()
  @MaxLength(60)
  language: string;
  @Field()
  @IsBoolean()
  interpreterUsed: boolean;
  @Field(() => [ConsentPoint], { description: 'Every point of the standard list must be explained.' })
  @IsArray()
  @ArrayMaxSize(10)
  @IsEnum(ConsentPoint, { each: true })
  explainedPoints: ConsentPoint[];
  @Field()
  @IsBoolean()
  readBack: boolean;
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  minor?: boolean;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  legalBasis?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  guardianRole?: string | null;
}

@InputType()
export class RequestReferralInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'caseSummaryId must be an id as returned by the API.' })
  caseSummaryId: string;
  @Field(() => ID)
  @IsUUID('all', { message: 'toAgencyId must be an id as returned by the API.' })
  toAgencyId: string;
  @Field(() => ReferralPurpose)
  @IsEnum(ReferralPurpose)
  purpose: ReferralPurpose;
  @Field(() => [CaseSection])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsEnum(CaseSection, { each: true })
  sections: CaseSection[];
  @Field({ nullable: true, description: 'Respond within 4 hours instead of 2 working days.' })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'Coordinators only: refer without a covering consent, with a reason.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  overrideReason?: string | null;
}

@InputType()
export class ChangeReferralStatusInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'referralId must be an id as returned by the API.' })
  referralId: string;
  @Field(() => ReferralStatus)
  @IsEnum(ReferralStatus)
  status: ReferralStatus;
  @Field(() => String, { nullable: true, description: 'Required to decline.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;
}

@InputType()
export class ReadinessOwnerInput {
  @Field(() => ReadinessItem)
  @IsEnum(ReadinessItem)
  item: ReadinessItem;
  @Field(() => ID)
  @IsUUID('all', { message: 'agencyId must be an id as returned by the API.' })
  agencyId: string;
}

@InputType()
export class ScheduleHearingInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'caseSummaryId must be an id as returned by the API.' })
  caseSummaryId: string;
  @Field()
  @IsString()
  @MaxLength(200)
  court: string;
  @Field()
  @Type(() => Date)
  @IsDate()
  startsAt: Date;
  @Field(() => HearingKind)
  @IsEnum(HearingKind)
  kind: HearingKind;
  @Field(() => [ReadinessOwnerInput], { nullable: true, description: 'Items not named are owned by your agency.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => ReadinessOwnerInput)
  owners?: ReadinessOwnerInput[];
}

@InputType()
export class UpdateReadinessItemInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'hearingId must be an id as returned by the API.' })
  hearingId: string;
  @Field(() => ReadinessItem)
  @IsEnum(ReadinessItem)
  item: ReadinessItem;
  @Field(() => ReadinessState)
  @IsEnum(ReadinessState)
  state: ReadinessState;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  language?: string | null;
}
