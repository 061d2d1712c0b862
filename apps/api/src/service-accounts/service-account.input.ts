import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiScope } from '@hub/access';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

@InputType()
export class CreateServiceAccountInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'taskForceId must be a task force id (a UUID).' })
  taskForceId: string;

  @Field({ description: 'What the client app is, such as "Case system of DIICOT Iași".' })
  @IsString()
  @Length(2, 120, { message: 'name must be between 2 and 120 characters.' })
  name: string;

  @Field(() => ID, { description: 'The agency it acts for: it reads what a member of that agency may.' })
  @IsUUID('all', { message: 'agencyId must be an agency id (a UUID).' })
  agencyId: string;

  @Field(() => [ApiScope], { nullable: true, description: 'READ and SUBSCRIBE when omitted.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3, { message: 'scopes lists at most READ, SUBSCRIBE and WRITE.' })
  @IsEnum(ApiScope, { each: true, message: 'scopes must be READ, SUBSCRIBE or WRITE.' })
  scopes?: ApiScope[];
}

@InputType()
export class RegisterWebhookInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'serviceAccountId must be a service account id (a UUID).' })
  serviceAccountId: string;

  @Field({ description: 'https:// (plain http:// only to 127.0.0.1 or localhost, for development).' })
  @IsString()
  @MaxLength(2000, { message: 'url must be at most 2000 characters.' })
  url: string;

  @Field(() => [String], { description: 'The event types to be told of, such as actionItem.updated.' })
  @IsArray()
  @ArrayMaxSize(50, { message: 'eventTypes lists at most 50 types.' })
  @IsString({ each: true, message: 'eventTypes must be event type names.' })
  @MaxLength(48, { each: true, message: 'an event type is at most 48 characters.' })
  eventTypes: string[];
}
