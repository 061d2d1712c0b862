/** The GraphQL operations of referrals, consents and hearings (kept with the feature so branches merge). */
import { operation } from '../../api/graphql';
import type { CaseSection } from '../../api/types';

export type ReferralPurpose =
  'ASSISTANCE' | 'SHELTER' | 'LEGAL_AID' | 'HEALTH' | 'INTERPRETATION' | 'REPATRIATION' | 'COMPENSATION';
export type ReferralStatus =
  'REQUESTED' | 'ACCEPTED' | 'DECLINED' | 'IN_SERVICE' | 'COMPLETED' | 'WITHDRAWN' | 'CONSENT_WITHDRAWN';
export type ReadinessItem =
  | 'SUPPORT_WORKER'
  | 'INTERPRETER'
  | 'LEGAL_AID_LAWYER'
  | 'TESTIMONY_PROTECTION'
  | 'TRANSPORT'
  | 'PUBLICATION_DATA_REQUEST';
export type ReadinessState = 'OPEN' | 'DONE' | 'NOT_NEEDED';
export type HearingKind = 'VICTIM_HEARING' | 'TRIAL' | 'PRONOUNCEMENT';

export const PURPOSES: ReferralPurpose[] = [
  'ASSISTANCE',
  'SHELTER',
  'LEGAL_AID',
  'HEALTH',
  'INTERPRETATION',
  'REPATRIATION',
  'COMPENSATION',
];
export const POINTS = ['PURPOSE', 'DATA_USE', 'RETENTION', 'ACCESS_RIGHT', 'WITHDRAWAL'] as const;
export type ConsentPoint = (typeof POINTS)[number];

export interface Referral {
  id: string;
  caseSummaryId: string;
  fromAgencyId: string;
  toAgencyId: string;
  purpose: ReferralPurpose;
  sections: CaseSection[];
  urgent: boolean;
  respondBy: string;
  status: ReferralStatus;
  overridden: boolean;
  declineReason: string | null;
}

export interface Consent {
  id: string;
  purposes: ReferralPurpose[];
  receiverAgencyIds: string[];
  sections: CaseSection[];
  language: string;
  givenAt: string;
  withdrawnAt: string | null;
}

export interface Hearing {
  id: string;
  caseSummaryId: string;
  court: string;
  startsAt: string;
  kind: HearingKind;
  ready: boolean;
  checklist: { item: ReadinessItem; ownerAgencyId: string; state: ReadinessState; language: string | null }[];
}

const REFERRAL =
  'id caseSummaryId fromAgencyId toAgencyId purpose sections urgent respondBy status overridden declineReason';
const CONSENT = 'id purposes receiverAgencyIds sections language givenAt withdrawnAt';
const HEARING = 'id caseSummaryId court startsAt kind ready checklist { item ownerAgencyId state language }';

export const ReferralsQuery = operation<{ referrals: Referral[] }, { taskForceId: string }>(
  `query Referrals($taskForceId: ID!) { referrals(taskForceId: $taskForceId) { ${REFERRAL} } }`,
);

export const ConsentsQuery = operation<{ referralConsents: Consent[] }, { caseSummaryId: string }>(
  `query Consents($caseSummaryId: ID!) { referralConsents(caseSummaryId: $caseSummaryId) { ${CONSENT} } }`,
);

export interface RecordConsentInput {
  caseSummaryId: string;
  given: boolean;
  purposes: ReferralPurpose[];
  receiverAgencyIds: string[];
  sections: CaseSection[];
  language: string;
  interpreterUsed: boolean;
  explainedPoints: string[];
  readBack: boolean;
}

export const RecordConsent = operation<{ recordConsent: { given: boolean } }, { input: RecordConsentInput }>(
  `mutation RecordConsent($input: RecordConsentInput!) { recordConsent(input: $input) { given } }`,
);

export const WithdrawConsent = operation<{ withdrawConsent: { consent: { id: string } } }, { consentId: string }>(
  `mutation WithdrawConsent($consentId: ID!) { withdrawConsent(consentId: $consentId) { consent { id } } }`,
);

export const RequestReferral = operation<
  { requestReferral: Referral },
  {
    input: {
      caseSummaryId: string;
      toAgencyId: string;
      purpose: ReferralPurpose;
      sections: CaseSection[];
      urgent: boolean;
    };
  }
>(`mutation RequestReferral($input: RequestReferralInput!) { requestReferral(input: $input) { ${REFERRAL} } }`);

export const ChangeReferralStatus = operation<
  { changeReferralStatus: Referral },
  { input: { referralId: string; status: ReferralStatus; reason?: string } }
>(
  `mutation ChangeReferralStatus($input: ChangeReferralStatusInput!) { changeReferralStatus(input: $input) { ${REFERRAL} } }`,
);

export const HearingsQuery = operation<{ hearings: Hearing[] }, { taskForceId: string }>(
  `query Hearings($taskForceId: ID!) { hearings(taskForceId: $taskForceId) { ${HEARING} } }`,
);

export const ScheduleHearing = operation<
  { scheduleHearing: Hearing },
  {
    input: {
      caseSummaryId: string;
      court: string;
      startsAt: string;
      kind: HearingKind;
      owners: { item: ReadinessItem; agencyId: string }[];
    };
  }
>(`mutation ScheduleHearing($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { ${HEARING} } }`);

export const UpdateReadinessItem = operation<
  { updateReadinessItem: Hearing },
  { input: { hearingId: string; item: ReadinessItem; state: ReadinessState; language?: string } }
>(
  `mutation UpdateReadinessItem($input: UpdateReadinessItemInput!) { updateReadinessItem(input: $input) { ${HEARING} } }`,
);
