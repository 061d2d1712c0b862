import { type Actor, can, type CaseSection } from '@hub/access';
import { ConsentPoint, type ReferralPurpose, ReferralStatus } from './referral.entity';

/** Who moves a referral where: the receiver answers and serves, the referrer withdraws; the hub alone ends it on a withdrawn consent. */
export const REFERRAL_TRANSITIONS: Readonly<
  Record<ReferralStatus, Partial<Record<ReferralStatus, 'receiving' | 'referring'>>>
> = {
  [ReferralStatus.REQUESTED]: {
    [ReferralStatus.ACCEPTED]: 'receiving',
    [ReferralStatus.DECLINED]: 'receiving',
    [ReferralStatus.WITHDRAWN]: 'referring',
  },
  [ReferralStatus.ACCEPTED]: {
    [ReferralStatus.IN_SERVICE]: 'receiving',
    [ReferralStatus.COMPLETED]: 'receiving',
    [ReferralStatus.WITHDRAWN]: 'referring',
  },
  [ReferralStatus.IN_SERVICE]: {
    [ReferralStatus.COMPLETED]: 'receiving',
    [ReferralStatus.WITHDRAWN]: 'referring',
  },
  [ReferralStatus.DECLINED]: {},
  [ReferralStatus.COMPLETED]: {},
  [ReferralStatus.WITHDRAWN]: {},
  [ReferralStatus.CONSENT_WITHDRAWN]: {},
};

/** Statuses a withdrawn consent ends. */
export const OPEN_STATUSES: readonly ReferralStatus[] = [
  ReferralStatus.REQUESTED,
  ReferralStatus.ACCEPTED,
  ReferralStatus.IN_SERVICE,
];

export const STANDARD_POINTS: readonly ConsentPoint[] = Object.values(ConsentPoint);

/** A consent is informed when every point of the standard list was explained and it was read back. */
export function isInformed(points: readonly ConsentPoint[], readBack: boolean): boolean {
  return readBack && STANDARD_POINTS.every((point) => points.includes(point));
}

export interface ConsentScope {
  withdrawnAt?: Date | null;
  purposes: readonly ReferralPurpose[];
  receivers: readonly string[];
  sections: readonly CaseSection[];
}

/** The gate: a consent covers a referral when it stands and names its purpose, its receiver and every section. */
export function consentCovers(
  consent: ConsentScope,
  referral: { purpose: ReferralPurpose; toAgencyId: string; sections: readonly CaseSection[] },
): boolean {
  return (
    !consent.withdrawnAt &&
    consent.purposes.includes(referral.purpose) &&
    consent.receivers.includes(referral.toAgencyId) &&
    referral.sections.every((section) => consent.sections.includes(section))
  );
}

/** A referral is for the two agencies on it; coordinators see every referral of their task force. */
export function maySeeReferral(
  actor: Actor,
  referral: { taskForceId: string; fromAgencyId: string; toAgencyId: string },
): boolean {
  if (!can(actor, 'referral.read', referral.taskForceId)) return false;
  if (can(actor, 'referral.override', referral.taskForceId)) return true;
  return actor.agencyId === referral.fromAgencyId || actor.agencyId === referral.toAgencyId;
}
