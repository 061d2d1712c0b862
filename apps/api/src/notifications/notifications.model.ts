import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EmailMode, type Notification, type NotificationPreference } from '@hub/notifications';
import { PageInfo } from '../graphql/page-info.model';

registerEnumType(EmailMode, {
  name: 'EmailMode',
  description: 'NONE: no e-mail; IMMEDIATE: one as notifications arrive; DAILY_DIGEST: one a day at digestHour.',
});

@ObjectType('Notification', { description: 'One entry of your inbox: a kind and what it is about, never free text.' })
export class NotificationModel {
  @Field(() => Int, { description: 'The inbox position: newer ones are higher. myNotifications(after:) takes it.' })
  id: number;
  @Field({
    description:
      'ASSIGNED, UNCLAIMED, DUE_SOON, DUE_TODAY, OVERDUE, OVERDUE_ESCALATED, MEETING_SCHEDULED, MEETING_CHANGED, MEETING_CANCELLED, MEETING_STARTING, DECISION_REVIEW, MEMBERSHIP_CHANGED, REFERRAL_UNANSWERED, HEARING_NOT_READY or WEBHOOK_DISABLED.',
  })
  kind: string;
  @Field(() => ID) taskForceId: string;
  @Field({ description: 'actionItem, meeting, decision, taskForce, referral, hearing or webhook.' })
  subjectType: string;
  @Field(() => ID) subjectId: string;
  @Field() urgent: boolean;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) readAt: Date | null;

  static from(row: Notification): NotificationModel {
    return Object.assign(new NotificationModel(), {
      id: row.id,
      kind: row.kind,
      taskForceId: row.taskForce.id,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      urgent: row.urgent,
      createdAt: row.createdAt,
      readAt: row.readAt ?? null,
    });
  }
}

@ObjectType('NotificationPage')
export class NotificationPageModel {
  @Field(() => [NotificationModel], { description: 'Newest first.' }) nodes: NotificationModel[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType('NotificationPreferences')
export class NotificationPreferencesModel {
  @Field(() => EmailMode) emailMode: EmailMode;
  @Field(() => Int, { description: 'The hour (0–23, Bucharest) the daily digest goes out.' }) digestHour: number;
  @Field({ description: 'No e-mail between 20:00 and 08:00 (Bucharest) unless urgent.' }) quietHours: boolean;

  static from(pref: NotificationPreference): NotificationPreferencesModel {
    return Object.assign(new NotificationPreferencesModel(), {
      emailMode: pref.emailMode,
      digestHour: pref.digestHour,
      quietHours: pref.quietHours,
    });
  }
}
