import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '@hub/access';
import { actionItemCursor, ActionItemsService, isOverdue } from '@hub/action-items';
import { CaseSummaryModel } from '../case-summaries/case-summary.model';
import { GraphQLContext, type NoArgs } from '../graphql/context';
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
  async assigneeMember(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<MemberModel | null> {
    return item.assigneeMemberId ? MemberModel.from((await loaders.member.load(item.assigneeMemberId))!) : null;
  }

  @ResolveField(() => AgencyModel, { nullable: true })
  async assigneeAgency(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<AgencyModel | null> {
    return item.assigneeAgencyId ? AgencyModel.from((await loaders.agency.load(item.assigneeAgencyId))!) : null;
  }

  @ResolveField(() => MemberModel)
  async createdBy(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<MemberModel> {
    return MemberModel.from((await loaders.member.load(item.createdById))!);
  }

  @ResolveField(() => MeetingModel, { nullable: true })
  async meeting(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<MeetingModel | null> {
    return item.meetingId ? MeetingModel.from((await loaders.meeting.load(item.meetingId))!) : null;
  }

  @ResolveField(() => DecisionModel, { nullable: true })
  async decision(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<DecisionModel | null> {
    return item.decisionId ? DecisionModel.from((await loaders.decision.load(item.decisionId))!) : null;
  }

  @ResolveField(() => CaseSummaryModel, { nullable: true })
  async caseSummary(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<CaseSummaryModel | null> {
    return item.caseSummaryId ? CaseSummaryModel.from((await loaders.caseSummary.load(item.caseSummaryId))!) : null;
  }

  @ResolveField(() => [ActionItemCommentModel], { description: 'Oldest first.' })
  async comments(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<ActionItemCommentModel[]> {
    return (await loaders.commentsByActionItem.load(item.id)).map(ActionItemCommentModel.from);
  }

  @ResolveField(() => [ActionItemChangeModel], { description: 'Every change, oldest first.' })
  async history(item: ActionItemModel, _: NoArgs, { loaders }: GraphQLContext): Promise<ActionItemChangeModel[]> {
    return (await loaders.historyByActionItem.load(item.id)).map(ActionItemChangeModel.from);
  }
}

@Resolver(() => ActionItemCommentModel)
export class ActionItemCommentsResolver {
  @ResolveField(() => MemberModel)
  async author(comment: ActionItemCommentModel, _: NoArgs, { loaders }: GraphQLContext): Promise<MemberModel> {
    return MemberModel.from((await loaders.member.load(comment.authorId))!);
  }
}

@Resolver(() => ActionItemChangeModel)
export class ActionItemChangesResolver {
  @ResolveField(() => MemberModel)
  async actor(change: ActionItemChangeModel, _: NoArgs, { loaders }: GraphQLContext): Promise<MemberModel> {
    return MemberModel.from((await loaders.member.load(change.actorId))!);
  }
}
