import { Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEmail,
  IsEnum,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { TaskForceRole } from '../graphql/enums';

@InputType()
export class CreateTaskForceInput {
  @Field({ description: '2 to 16 letters, digits or dashes, such as BUC.' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,16}$/, { message: 'code must be 2 to 16 letters, digits or dashes, such as BUC.' })
  code: string;

  @Field()
  @IsString()
  @Length(2, 120, { message: 'name must be between 2 and 120 characters.' })
  name: string;

  @Field()
  @IsString()
  @Length(2, 120, { message: 'region must be between 2 and 120 characters.' })
  region: string;

  @Field()
  @IsString()
  @Length(2, 120, { message: 'courtOfAppeal must be between 2 and 120 characters.' })
  courtOfAppeal: string;

  @Field(() => [String])
  @ArrayMinSize(1, { message: 'counties must name at least one county.' })
  @ArrayMaxSize(50, { message: 'counties must name at most 50 counties.' })
  @IsString({ each: true })
  @Length(2, 60, { each: true, message: 'each county must be between 2 and 60 characters.' })
  counties: string[];
}

@InputType()
export class AddMembershipInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' })
  taskForceId: string;

  @Field({ description: 'The email of an existing member.' })
  @IsEmail({}, { message: 'email must be an email address such as name@agency.ro.' })
  @MaxLength(254, { message: 'email must be at most 254 characters.' })
  email: string;

  @Field(() => TaskForceRole)
  @IsEnum(TaskForceRole)
  role: TaskForceRole;
}

@InputType()
export class ChangeMembershipRoleInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'membershipId must be a membership id (a UUID).' })
  membershipId: string;

  @Field(() => TaskForceRole)
  @IsEnum(TaskForceRole)
  role: TaskForceRole;
}
