import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { AgencyKind, TaskForceRole } from '../graphql/enums';

@InputType()
export class CreateAgencyInput {
  @Field()
  @IsString()
  @Length(2, 160, { message: 'name must be between 2 and 160 characters.' })
  name: string;

  @Field(() => AgencyKind)
  @IsEnum(AgencyKind)
  kind: AgencyKind;
}

@InputType()
export class CreateMemberInput {
  @Field()
  @IsEmail({}, { message: 'email must be an email address such as name@agency.ro.' })
  @MaxLength(254, { message: 'email must be at most 254 characters.' })
  email: string;

  @Field()
  @IsString()
  @Length(1, 120, { message: 'displayName must be between 1 and 120 characters.' })
  displayName: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'agencyId must be an agency id (a UUID).' })
  agencyId: string;

  @Field({ description: 'The first password; at least 12 characters.' })
  @IsString()
  @Length(12, 256, { message: 'password must be between 12 and 256 characters.' })
  password: string;

  @Field({ nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  isPlatformAdmin?: boolean;

  @Field(() => ID, { nullable: true, description: 'Coordinators create members into their own task force.' })
  @IsOptional()
  @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' })
  taskForceId?: string;

  @Field(() => TaskForceRole, { nullable: true, description: 'The role in taskForceId; MEMBER when omitted.' })
  @IsOptional()
  @IsEnum(TaskForceRole)
  role?: TaskForceRole;
}
