import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ConsentPoint,
  type HearingWithItems,
  HearingKind,
  ReadinessItem,
  ReadinessState,
  type Referral,
  type ReferralConsent,
  type ReferralIndicators,
  ReferralPurpose,
  ReferralStatus,
} from '@hub/referrals';
import { CaseSection } from '../graphql/enums';

registerEnumType(ReferralPurpose, { name: 'ReferralPurpose' });
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'REQUESTED → ACCEPTED or DECLINED → IN_SERVICE → COMPLETED; or WITHDRAWN; or CONSENT_WITHDRAWN.',
});
registerEnumType(ConsentPoint, { name: 'ConsentPoint', description: 'What a person must be told before consenting.' });
registerEnumType(HearingKind, { name: 'HearingKind' });
registerEnumType(ReadinessItem, { name: 'ReadinessItem' });
registerEnumType(ReadinessState, { name: 'ReadinessState' });

export { ConsentPoint, HearingKind, ReadinessItem, ReadinessState, ReferralPurpose, ReferralStatus };

@ObjectType('Referral', { description: 'A referral of a case from one agency of the task force to another.' })
export class ReferralModel {
  @Field(() => ID) id: string;
  @Field(() => ID) taskForceId: string;
  @Field(() => ID) caseSummaryId: string;
  @Field(() => ID) fromAgencyId: string;
  @Field(() => ID) toAgencyId: string;
  @Field(() => ReferralPurpose) purpose: ReferralPurpose;
  @Field(() => [CaseSection], { description: 'What the receiving agency reads while the referral stands.' })
  sections: CaseSection[];
  @Field() urgent: boolean;
  @Field() respondBy: Date;
  @Field(() => ReferralStatus) status: ReferralStatus;
  @Field({ description: 'Referred without a covering consent, on a coordinator’s override.' }) overridden: boolean;
  @Field(() => String, { nullable: true, description: 'Only the two agencies and coordinators see it.' })
  declineReason: string | null;
  @Field() requestedAt: Date;
  @Field(() => Date, { nullable: true }) answeredAt: Date | null;

  static from(referral: Referral): ReferralModel {
    return Object.assign(new ReferralModel(), {
      id: referral.id,
      taskForceId: referral.taskForce.id,
      caseSummaryId: referral.caseSummary.id,
      fromAgencyId: referral.fromAgency.id,
      toAgencyId: referral.toAgency.id,
      purpose: referral.purpose,
      sections: referral.sections,
      urgent: referral.urgent,
      respondBy: referral.respondBy,
      status: referral.status,
      overridden: !referral.consent,
      declineReason: referral.declineReason ?? null,
      requestedAt: referral.requestedAt,
      answeredAt: referral.answeredAt ?? null,
    });
  }
}

@ObjectType('ReferralConsent', {
  description: 'Informed consent, kept by the agency that recorded it. No identity data.',
})
export class ReferralConsentModel {
  @Field(() => ID) id: string;
  @Field(() => ID) caseSummaryId: string;
  @Field(() => [ReferralPurpose]) purposes: ReferralPurpose[];
  @Field(() => [ID]) receiverAgencyIds: string[];
  @Field(() => [CaseSection]) sections: CaseSection[];
  @Field() language: string;
  @Field() interpreterUsed: boolean;
  @Field(() => [ConsentPoint]) explainedPoints: ConsentPoint[];
  @Field() readBack: boolean;
  @Field() minor: boolean;
  @Field(() => String, { nullable: true }) legalBasis: string | null;
  @Field(() => String, { nullable: true }) guardianRole: string | null;
  @Field() givenAt: Date;
  @Field(() => Date, { nullable: true }) withdrawnAt: Date | null;

  static from(consent: ReferralConsent): ReferralConsentModel {
    return Object.assign(new ReferralConsentModel(), {
      id: consent.id,
      caseSummaryId: consent.caseSummary.id,
      purposes: consent.purposes,
      receiverAgencyIds: consent.receivers,
      sections: consent.sections,
      language: consent.language,
      interpreterUsed: consent.interpreterUsed,
      explainedPoints: consent.explainedPoints,
      readBack: consent.readBack,
      minor: consent.minor,
      legalBasis: consent.legalBasis ?? null,
      guardianRole: consent.guardianRole ?? null,
      givenAt: consent.givenAt,
      withdrawnAt: consent.withdrawnAt ?? null,
    });
  }
}

@ObjectType('ConsentOutcome', { description: 'A refused consent is only counted: then `consent` is null.' })
export class ConsentOutcomeModel {
  @Field() given: boolean;
  @Field(() => ReferralConsentModel, { nullable: true }) consent: ReferralConsentModel | null;
}

@ObjectType('ConsentWithdrawal')
export class ConsentWithdrawalModel {
  @Field(() => ReferralConsentModel) consent: ReferralConsentModel;
  @Field(() => [ReferralModel], { description: 'The referrals it ended, in the same transaction.' })
  endedReferrals: ReferralModel[];
}

@ObjectType('ReferralIndicators', { description: 'For the outcomes report: counts only.' })
export class ReferralIndicatorsModel implements ReferralIndicators {
  @Field(() => Int) referrals: number;
  @Field(() => Int) answered: number;
  @Field(() => Int) answeredInTime: number;
  @Field(() => Int) overrides: number;
  @Field(() => Int) consentsGiven: number;
  @Field(() => Int) consentsWithdrawn: number;
  @Field(() => Int) consentsRefused: number;
  @Field(() => Int) hearings: number;
  @Field(() => Int) hearingsWithCompleteChecklist: number;
}

@ObjectType('HearingReadinessItem')
export class HearingReadinessItemModel {
  @Field(() => ReadinessItem) item: ReadinessItem;
  @Field(() => ID) ownerAgencyId: string;
  @Field(() => ReadinessState) state: ReadinessState;
  @Field(() => String, { nullable: true, description: 'For the interpreter: the language booked.' })
  language: string | null;
}

@ObjectType('Hearing', { description: 'A court hearing of a case and its readiness checklist. No victim data.' })
export class HearingModel {
  @Field(() => ID) id: string;
  @Field(() => ID) taskForceId: string;
  @Field(() => ID) caseSummaryId: string;
  @Field() court: string;
  @Field() startsAt: Date;
  @Field(() => HearingKind) kind: HearingKind;
  @Field({ description: 'No checklist item is still open.' }) ready: boolean;
  @Field(() => [HearingReadinessItemModel]) checklist: HearingReadinessItemModel[];

  static from({ hearing, items }: HearingWithItems): HearingModel {
    return Object.assign(new HearingModel(), {
      id: hearing.id,
      taskForceId: hearing.taskForce.id,
      caseSummaryId: hearing.caseSummary.id,
      court: hearing.court,
      startsAt: hearing.startsAt,
      kind: hearing.kind,
      ready: items.every((i) => i.state !== ReadinessState.OPEN),
      checklist: items.map((i) => ({
        item: i.item,
        ownerAgencyId: i.ownerAgency.id,
        state: i.state,
        language: i.language ?? null,
      })),
    });
  }
}
