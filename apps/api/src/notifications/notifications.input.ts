import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { EmailMode } from '@hub/notifications';

@ArgsType()
export class InboxArgs {
  @Field(() => Int, { defaultValue: 20 })
  @IsInt()
  @Min(1, { message: 'first must be at least 1.' })
  @Max(200, { message: 'first must be at most 200.' })
  first: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @Field({ defaultValue: false })
  @IsBoolean()
  unreadOnly: boolean;
}

@InputType()
export class NotificationPreferencesInput {
  @Field(() => EmailMode, { nullable: true })
  @IsOptional()
  @IsEnum(EmailMode)
  emailMode?: EmailMode;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt({ message: 'digestHour must be a whole hour from 0 to 23.' })
  @Min(0, { message: 'digestHour must be a whole hour from 0 to 23.' })
  @Max(23, { message: 'digestHour must be a whole hour from 0 to 23.' })
  digestHour?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  quietHours?: boolean;
}

@ArgsType()
export class SnoozeArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'actionItemId must be an action item id (a UUID).' })
  actionItemId: string;

  @Field({ description: 'YYYY-MM-DD (Bucharest): no reminder of the item before this day; at most 30 days ahead.' })
  @IsString()
  @MaxLength(10)
  until: string;

  @Field({ description: 'Why the reminders wait: it goes into the item’s history.' })
  @IsString()
  @MaxLength(500)
  reason: string;
}
