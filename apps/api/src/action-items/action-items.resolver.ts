import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { actionItemCursor, ActionItemsService, isOverdue } from '@hub/action-items';
import { CaseSummaryModel } from '../case-summaries/case-summary.model';
import { GraphQLContext, type NoArgs } from '../graphql/context';
import { mapMaybe, type Maybe } from '../graphql/loaders';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { DecisionModel, MeetingModel } from '../meetings/meeting.model';
import { AgencyModel, MemberModel } from '../members/member.model';
import {
  ActionItemsArgs,
  ChangeStatusArgs,
  CommentArgs,
  CreateActionItemInput,
  EditActionItemInput,
} from './action-item.input';
import {
  ActionItemChangeModel,
  ActionItemCommentModel,
  ActionItemModel,
  ActionItemPageModel,
} from './action-item.model';

@Resolver(() => ActionItemModel)
export class ActionItemsResolver {
  constructor(private readonly service: ActionItemsService) {}

  @Query(() => ActionItemPageModel, {
    description: "A task force's action items by due date: yours, your agency's or all, with filters.",
  })
  async actionItems(
    @CurrentActor() actor: Actor,
    @Args() { taskForceId, filter, first, after }: ActionItemsArgs,
  ): Promise<ActionItemPageModel> {
    const page = await this.service.list(actor, taskForceId, filter ?? {}, first, after);
    const last = page.items.at(-1);
    return {
      nodes: page.items.map(ActionItemModel.from),
      pageInfo: { endCursor: last ? actionItemCursor(last) : null, hasNextPage: page.hasNextPage },
    };
  }

  @Query(() => ActionItemModel)
  async actionItem(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<ActionItemModel> {
    return ActionItemModel.from(await this.service.get(actor, id));
  }

  @Mutation(() => ActionItemModel)
  async createActionItem(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateActionItemInput,
  ): Promise<ActionItemModel> {
    return ActionItemModel.from(await this.service.create(actor, input));
  }

  @Mutation(() => ActionItemModel)
  async editActionItem(
    @CurrentActor() actor: Actor,
    @Args('input') { id, ...edits }: EditActionItemInput,
  ): Promise<ActionItemModel> {
    return ActionItemModel.from(await this.service.edit(actor, id, edits));
  }

  @Mutation(() => ActionItemModel, { description: 'Only allowed transitions; BLOCKED needs a reason.' })
  async changeActionItemStatus(
    @CurrentActor() actor: Actor,
    @Args() { id, status, reason }: ChangeStatusArgs,
  ): Promise<ActionItemModel> {
    return ActionItemModel.from(await this.service.changeStatus(actor, id, status, reason));
  }

  @Mutation(() => ActionItemModel, {
    description: 'Take an item assigned to your agency: it becomes yours, and in progress.',
  })
  async takeActionItem(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<ActionItemModel> {
    return ActionItemModel.from(await this.service.take(actor, id));
  }

  @Mutation(() => ActionItemCommentModel)
  async commentOnActionItem(
    @CurrentActor() actor: Actor,
    @Args() { id, text }: CommentArgs,
  ): Promise<ActionItemCommentModel> {
    return ActionItemCommentModel.from(await this.service.comment(actor, id, text));
  }

  @ResolveField(() => Boolean, { description: 'Past its due date (Europe/Bucharest) and still to do.' })
  overdue(item: ActionItemModel): boolean {
    return isOverdue(item.status, item.dueOn);
  }

  @ResolveField(() => MemberModel, { nullable: true })
  assigneeMember(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel | null> {
    return item.assigneeMemberId
      ? mapMaybe(loaders.member.get(item.assigneeMemberId), (row) => MemberModel.from(row!))
      : null;
  }

  @ResolveField(() => AgencyModel, { nullable: true })
  assigneeAgency(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<AgencyModel | null> {
    return item.assigneeAgencyId
      ? mapMaybe(loaders.agency.get(item.assigneeAgencyId), (row) => AgencyModel.from(row!))
      : null;
  }

  @ResolveField(() => MemberModel)
  createdBy(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(item.createdById), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => MeetingModel, { nullable: true })
  meeting(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MeetingModel | null> {
    return item.meetingId ? mapMaybe(loaders.meeting.get(item.meetingId), (row) => MeetingModel.from(row!)) : null;
  }

  @ResolveField(() => DecisionModel, { nullable: true })
  decision(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<DecisionModel | null> {
    return item.decisionId ? mapMaybe(loaders.decision.get(item.decisionId), (row) => DecisionModel.from(row!)) : null;
  }

  @ResolveField(() => CaseSummaryModel, { nullable: true })
  caseSummary(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<CaseSummaryModel | null> {
    return item.caseSummaryId
      ? mapMaybe(loaders.caseSummary.get(item.caseSummaryId), (row) => CaseSummaryModel.from(row!))
      : null;
  }

  @ResolveField(() => [ActionItemCommentModel], { description: 'Oldest first.' })
  comments(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<ActionItemCommentModel[]> {
    return mapMaybe(loaders.commentsByActionItem.get(item.id), (rows) => rows.map(ActionItemCommentModel.from));
  }

  @ResolveField(() => [ActionItemChangeModel], { description: 'Every change, oldest first.' })
  history(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<ActionItemChangeModel[]> {
    return mapMaybe(loaders.historyByActionItem.get(item.id), (rows) => rows.map(ActionItemChangeModel.from));
  }
}

@Resolver(() => ActionItemCommentModel)
export class ActionItemCommentsResolver {
  @ResolveField(() => MemberModel)
  author(comment: ActionItemCommentModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(comment.authorId), (row) => MemberModel.from(row!));
  }
}

@Resolver(() => ActionItemChangeModel)
export class ActionItemChangesResolver {
  @ResolveField(() => MemberModel)
  actor(change: ActionItemChangeModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(change.actorId), (row) => MemberModel.from(row!));
  }
}
