import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, CaseSection, writableSections } from '@hub/access';
import { CaseSummariesService, CaseSummaryChanges, SECTION_PROPERTY } from '@hub/case-summaries';
import { actorOf, GraphQLContext, type NoArgs } from '../graphql/context';
import { mapMaybe, type Maybe } from '../graphql/loaders';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { uuid } from '../graphql/uuid.pipe';
import { MemberModel } from '../members/member.model';
import {
  CaseSectionsInput,
  CaseSummaryFilterInput,
  CreateCaseSummaryInput,
  UpdateCaseSummaryInput,
} from './case-summary.input';
import {
  CaseSummaryDifferenceModel,
  CaseSummaryModel,
  CaseSummaryRevisionModel,
  SECTION_DESCRIPTION,
} from './case-summary.model';

const SECTIONS = Object.values(CaseSection);

/** GraphQL's camelCase section fields to the policy's CaseSection keys. */
function sections(input?: CaseSectionsInput): CaseSummaryChanges['sections'] {
  if (!input) return undefined;
  return Object.fromEntries(
    SECTIONS.filter((s) => input[SECTION_PROPERTY[s]] !== undefined).map((s) => [s, input[SECTION_PROPERTY[s]]]),
  );
}

@Resolver(() => CaseSummaryModel)
export class CaseSummariesResolver {
  constructor(private readonly service: CaseSummariesService) {}

  @Query(() => [CaseSummaryModel], { description: "A task force's case summaries, by case code." })
  async caseSummaries(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
    @Args('filter', { nullable: true }) filter?: CaseSummaryFilterInput,
  ): Promise<CaseSummaryModel[]> {
    return (await this.service.list(actor, taskForceId, filter ?? {})).map(CaseSummaryModel.from);
  }

  @Query(() => CaseSummaryModel)
  async caseSummary(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CaseSummaryModel> {
    // What referrals share with the reader comes with the summary, not in a statement of its own later.
    const { summary, shared } = await this.service.getWithShared(actor, id);
    loaders.knownMember(summary.updatedBy);
    if (shared) loaders.knownShared(summary, shared.sections);
    return CaseSummaryModel.from(summary);
  }

  @Query(() => [CaseSummaryDifferenceModel], {
    description: 'What changed between two versions, limited to what you may read.',
  })
  async compareCaseSummaryVersions(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
    @Args('fromVersion', { type: () => Int }) fromVersion: number,
    @Args('toVersion', { type: () => Int }) toVersion: number,
  ): Promise<CaseSummaryDifferenceModel[]> {
    return (await this.service.compare(actor, id, fromVersion, toVersion)).map(CaseSummaryDifferenceModel.from);
  }

  @Mutation(() => CaseSummaryModel)
  async createCaseSummary(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateCaseSummaryInput,
  ): Promise<CaseSummaryModel> {
    return CaseSummaryModel.from(await this.service.create(actor, { ...input, sections: sections(input.sections) }));
  }

  @Mutation(() => CaseSummaryModel, {
    description: 'Refused with CONFLICT (and extensions.currentVersion) when baseVersion is not the current version.',
  })
  async updateCaseSummary(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateCaseSummaryInput,
  ): Promise<CaseSummaryModel> {
    const { id, baseVersion, ...changes } = input;
    return CaseSummaryModel.from(
      await this.service.update(actor, id, baseVersion, { ...changes, sections: sections(changes.sections) }),
    );
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  overview(summary: CaseSummaryModel, _: NoArgs, context: GraphQLContext) {
    return readSection(context, summary, CaseSection.OVERVIEW);
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  investigation(summary: CaseSummaryModel, _: NoArgs, context: GraphQLContext) {
    return readSection(context, summary, CaseSection.INVESTIGATION);
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  prosecution(summary: CaseSummaryModel, _: NoArgs, context: GraphQLContext) {
    return readSection(context, summary, CaseSection.PROSECUTION);
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  victimSupport(summary: CaseSummaryModel, _: NoArgs, context: GraphQLContext) {
    return readSection(context, summary, CaseSection.VICTIM_SUPPORT);
  }

  @ResolveField(() => [CaseSection], {
    description: 'The sections you may read: by your agency, and those a standing referral shares with it.',
  })
  async readableSections(
    summary: CaseSummaryModel,
    _: NoArgs,
    { req, loaders }: GraphQLContext,
  ): Promise<CaseSection[]> {
    return this.service.readable(actorOf(req), summary.entity, await loaders.sharedSections.load(summary.entity));
  }

  @ResolveField(() => [CaseSection], { description: 'The sections you may write.' })
  writableSections(@Parent() summary: CaseSummaryModel, @CurrentActor() actor: Actor): CaseSection[] {
    return writableSections(actor, summary.entity.taskForce.id);
  }

  @ResolveField(() => MemberModel)
  updatedBy(summary: CaseSummaryModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(summary.entity.updatedBy.id), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => [CaseSummaryRevisionModel], { description: 'Newest first.' })
  async revisions(
    @Parent() summary: CaseSummaryModel,
    @CurrentActor() actor: Actor,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CaseSummaryRevisionModel[]> {
    const [revisions, shared] = await Promise.all([
      loaders.revisionsBySummary.load(summary.id),
      loaders.sharedSections.load(summary.entity),
    ]);
    return revisions.map((revision) =>
      Object.assign(new CaseSummaryRevisionModel(), {
        id: revision.id,
        version: revision.version,
        at: revision.at,
        ...this.service.revisionView(actor, summary.entity, revision, shared),
        entity: revision,
        summary: summary.entity,
        authorId: revision.author.id,
      }),
    );
  }
}

function readSection(context: GraphQLContext, summary: CaseSummaryModel, section: CaseSection): Promise<string | null> {
  return context.loaders.sectionText.load({
    summary: summary.entity,
    section,
    via: 'summary',
    text: summary.entity[SECTION_PROPERTY[section]],
  });
}

function readRevisionSection(
  context: GraphQLContext,
  revision: CaseSummaryRevisionModel,
  section: CaseSection,
): Promise<string | null> {
  return context.loaders.sectionText.load({
    summary: revision.summary,
    section,
    via: 'revision',
    version: revision.version,
    text: revision.entity.snapshot.sections[section],
  });
}

@Resolver(() => CaseSummaryRevisionModel)
export class CaseSummaryRevisionsResolver {
  @ResolveField(() => MemberModel)
  author(revision: CaseSummaryRevisionModel, _: NoArgs, { loaders }: GraphQLContext): Maybe<MemberModel> {
    return mapMaybe(loaders.member.get(revision.authorId), (row) => MemberModel.from(row!));
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  overview(revision: CaseSummaryRevisionModel, _: NoArgs, context: GraphQLContext) {
    return readRevisionSection(context, revision, CaseSection.OVERVIEW);
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  investigation(revision: CaseSummaryRevisionModel, _: NoArgs, context: GraphQLContext) {
    return readRevisionSection(context, revision, CaseSection.INVESTIGATION);
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  prosecution(revision: CaseSummaryRevisionModel, _: NoArgs, context: GraphQLContext) {
    return readRevisionSection(context, revision, CaseSection.PROSECUTION);
  }

  @ResolveField(() => String, { nullable: true, description: SECTION_DESCRIPTION })
  victimSupport(revision: CaseSummaryRevisionModel, _: NoArgs, context: GraphQLContext) {
    return readRevisionSection(context, revision, CaseSection.VICTIM_SUPPORT);
  }
}
