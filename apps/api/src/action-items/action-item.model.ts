import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ActionItem, ActionItemChange, ActionItemComment } from '@hub/action-items';
import { ActionItemPriority, ActionItemStatus } from '../graphql/enums';
import { PageInfo } from '../graphql/page-info.model';

@ObjectType('ActionItem')
export class ActionItemModel {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => ActionItemStatus) status: ActionItemStatus;
  @Field(() => String, { nullable: true, description: 'Why it is blocked, while it is.' }) blockedReason: string | null;
  @Field(() => ActionItemPriority) priority: ActionItemPriority;
  @Field({ description: 'Due date, YYYY-MM-DD (Europe/Bucharest).' }) dueOn: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
  @Field(() => ID) taskForceId: string;

  assigneeMemberId: string | null;
  assigneeAgencyId: string | null;
  meetingId: string | null;
  decisionId: string | null;
  caseSummaryId: string | null;
  createdById: string;

  static from(item: ActionItem): ActionItemModel {
    return Object.assign(new ActionItemModel(), {
      id: item.id,
      title: item.title,
      description: item.description ?? null,
      status: item.status,
      blockedReason: item.blockedReason ?? null,
      priority: item.priority,
      dueOn: item.dueOn,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      completedAt: item.completedAt ?? null,
      taskForceId: item.taskForce.id,
      assigneeMemberId: item.assigneeMember?.id ?? null,
      assigneeAgencyId: item.assigneeAgency?.id ?? null,
      meetingId: item.meeting?.id ?? null,
      decisionId: item.decision?.id ?? null,
      caseSummaryId: item.caseSummary?.id ?? null,
      createdById: item.createdBy.id,
    });
  }
}

@ObjectType('ActionItemComment')
export class ActionItemCommentModel {
  @Field(() => ID) id: string;
  @Field() text: string;
  @Field() createdAt: Date;

  authorId: string;

  static from(comment: ActionItemComment): ActionItemCommentModel {
    return Object.assign(new ActionItemCommentModel(), {
      id: comment.id,
      text: comment.text,
      createdAt: comment.createdAt,
      authorId: comment.author.id,
    });
  }
}

@ObjectType('ActionItemChange', { description: 'One entry of the history: who changed what, when.' })
export class ActionItemChangeModel {
  @Field(() => ID) id: string;
  @Field() at: Date;
  @Field({ description: 'created, status, assignee, dueOn, priority, title, description, caseSummary or commented.' })
  kind: string;
  @Field(() => String, { nullable: true, description: 'The value before, as JSON.' }) before: string | null;
  @Field(() => String, { nullable: true, description: 'The value after, as JSON.' }) after: string | null;

  actorId: string;

  static from(change: ActionItemChange): ActionItemChangeModel {
    const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
    return Object.assign(new ActionItemChangeModel(), {
      id: String(change.id),
      at: change.at,
      kind: change.kind,
      before: json(change.before),
      after: json(change.after),
      actorId: change.actor.id,
    });
  }
}

@ObjectType('ActionItemPage')
export class ActionItemPageModel {
  @Field(() => [ActionItemModel], { description: 'By due date.' }) nodes: ActionItemModel[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
