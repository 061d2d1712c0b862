import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor } from '@hub/access';
import { HearingsService, ReferralsService } from '@hub/referrals';
import { type GraphQLContext, type NoArgs } from '../graphql/context';
import { CurrentActor } from '../graphql/current-actor.decorator';
import { MeetingModel } from '../meetings/meeting.model';
import { uuid } from '../graphql/uuid.pipe';
import {
  ChangeReferralStatusInput,
  RecordConsentInput,
  RequestReferralInput,
  ScheduleHearingInput,
  UpdateReadinessItemInput,
} from './referral.input';
import {
  ConsentOutcomeModel,
  ConsentWithdrawalModel,
  HearingModel,
  ReferralConsentModel,
  ReferralIndicatorsModel,
  ReferralModel,
} from './referral.model';

/** Referrals, consents and hearings: wiring only; the rules are in libs/referrals. */
@Resolver(() => ReferralModel)
export class ReferralsResolver {
  constructor(
    private readonly referralsService: ReferralsService,
    private readonly hearingsService: HearingsService,
  ) {}

  @Query(() => [ReferralModel], { description: 'Referrals from or to your agency; coordinators see all.' })
  async referrals(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
  ): Promise<ReferralModel[]> {
    return (await this.referralsService.list(actor, taskForceId)).map(ReferralModel.from);
  }

  @Query(() => ReferralModel)
  async referral(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid('id')) id: string,
  ): Promise<ReferralModel> {
    return ReferralModel.from(await this.referralsService.get(actor, id));
  }

  @Query(() => [ReferralConsentModel], { description: 'The consents your agency keeps for a case.' })
  async referralConsents(
    @CurrentActor() actor: Actor,
    @Args('caseSummaryId', { type: () => ID }, uuid('caseSummaryId')) caseSummaryId: string,
  ): Promise<ReferralConsentModel[]> {
    return (await this.referralsService.consents(actor, caseSummaryId)).map(ReferralConsentModel.from);
  }

  @Query(() => ReferralIndicatorsModel, { description: 'Referrals answered in time, consents, overrides, hearings.' })
  async referralIndicators(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
  ): Promise<ReferralIndicatorsModel> {
    const [referrals, hearings] = await Promise.all([
      this.referralsService.indicators(actor, taskForceId),
      this.hearingsService.indicators(actor, taskForceId),
    ]);
    return Object.assign(new ReferralIndicatorsModel(), {
      ...referrals,
      hearings: hearings.hearings,
      hearingsWithCompleteChecklist: hearings.complete,
    });
  }

  @Query(() => [HearingModel], { description: 'Hearings from now on (or from `from`), soonest first.' })
  async hearings(
    @CurrentActor() actor: Actor,
    @Args('taskForceId', { type: () => ID }, uuid('taskForceId')) taskForceId: string,
    @Args('from', { nullable: true }) from?: Date,
  ): Promise<HearingModel[]> {
    return (await this.hearingsService.list(actor, taskForceId, from ?? new Date())).map(HearingModel.from);
  }

  @Mutation(() => ConsentOutcomeModel, { description: 'Informed consent, or a refusal (only counted).' })
  async recordConsent(
    @CurrentActor() actor: Actor,
    @Args('input') input: RecordConsentInput,
  ): Promise<ConsentOutcomeModel> {
    const consent = await this.referralsService.recordConsent(actor, input);
    return { given: !!consent, consent: consent ? ReferralConsentModel.from(consent) : null };
  }

  @Mutation(() => ConsentWithdrawalModel, { description: 'Ends every referral resting on it, at once.' })
  async withdrawConsent(
    @CurrentActor() actor: Actor,
    @Args('consentId', { type: () => ID }, uuid('consentId')) consentId: string,
  ): Promise<ConsentWithdrawalModel> {
    const { consent, ended } = await this.referralsService.withdrawConsent(actor, consentId);
    return { consent: ReferralConsentModel.from(consent), endedReferrals: ended.map(ReferralModel.from) };
  }

  @Mutation(() => ReferralModel, { description: 'Refused with CONSENT_REQUIRED unless a consent covers it.' })
  async requestReferral(
    @CurrentActor() actor: Actor,
    @Args('input') input: RequestReferralInput,
  ): Promise<ReferralModel> {
    return ReferralModel.from(await this.referralsService.request(actor, input));
  }

  @Mutation(() => ReferralModel)
  async changeReferralStatus(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangeReferralStatusInput,
  ): Promise<ReferralModel> {
    return ReferralModel.from(
      await this.referralsService.changeStatus(actor, input.referralId, input.status, input.reason),
    );
  }

  @Mutation(() => HearingModel)
  async scheduleHearing(
    @CurrentActor() actor: Actor,
    @Args('input') input: ScheduleHearingInput,
  ): Promise<HearingModel> {
    return HearingModel.from(await this.hearingsService.schedule(actor, input));
  }

  @Mutation(() => HearingModel, { description: 'The owner agency (or a coordinator) sets an item’s state.' })
  async updateReadinessItem(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateReadinessItemInput,
  ): Promise<HearingModel> {
    return HearingModel.from(
      await this.hearingsService.updateItem(actor, input.hearingId, input.item, input.state, input.language),
    );
  }
}

/** A meeting's agenda shows the task force's hearings in the 14 days from its start (no victim data). */
@Resolver(() => MeetingModel)
export class MeetingHearingsResolver {
  @ResolveField(() => [HearingModel], {
    description: 'Hearings in the 14 days from the meeting’s start: court, time, kind and readiness.',
  })
  async upcomingHearings(meeting: MeetingModel, _: NoArgs, { loaders }: GraphQLContext): Promise<HearingModel[]> {
    const near = await loaders.hearingsNear.load({ taskForceId: meeting.taskForceId, from: meeting.startsAt });
    return near.map(HearingModel.from);
  }
}
