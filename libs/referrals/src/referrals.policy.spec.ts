import { AgencyKind, CaseSection, TaskForceRole } from '@hub/access';
import { ConsentPoint, ReferralPurpose, ReferralStatus } from './referral.entity';
import { consentCovers, isInformed, maySeeReferral, REFERRAL_TRANSITIONS } from './referrals.policy';

const actor = (agencyId: string, role: TaskForceRole) => ({
  memberId: 'm',
  sessionId: 's',
  agencyId,
  agencyKind: AgencyKind.POLICE,
  isPlatformAdmin: false,
  roles: new Map([['tf', role]]),
});

describe('referrals policy', () => {
  const consent = {
    purposes: [ReferralPurpose.SHELTER],
    receivers: ['ngo'],
    sections: [CaseSection.OVERVIEW, CaseSection.INVESTIGATION],
  };
  const referral = { purpose: ReferralPurpose.SHELTER, toAgencyId: 'ngo', sections: [CaseSection.INVESTIGATION] };

  test.each([
    ['covers its purpose, receiver and sections', referral, {}, true],
    ['not another purpose', { ...referral, purpose: ReferralPurpose.HEALTH }, {}, false],
    ['not another receiver', { ...referral, toAgencyId: 'court' }, {}, false],
    ['not a section it does not name', { ...referral, sections: [CaseSection.PROSECUTION] }, {}, false],
    ['not once withdrawn', referral, { withdrawnAt: new Date() }, false],
  ])('the gate: %s', (_, r, extra, expected) => {
    expect(consentCovers({ ...consent, ...extra }, r)).toBe(expected);
  });

  test('informed: every point explained and read back', () => {
    expect(isInformed(Object.values(ConsentPoint), true)).toBe(true);
    expect(isInformed(Object.values(ConsentPoint), false)).toBe(false);
    expect(isInformed([ConsentPoint.PURPOSE, ConsentPoint.WITHDRAWAL], true)).toBe(false);
  });

  test.each([
    [ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, 'receiving'],
    [ReferralStatus.REQUESTED, ReferralStatus.DECLINED, 'receiving'],
    [ReferralStatus.REQUESTED, ReferralStatus.WITHDRAWN, 'referring'],
    [ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, 'receiving'],
    [ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED, 'receiving'],
    [ReferralStatus.IN_SERVICE, ReferralStatus.WITHDRAWN, 'referring'],
    [ReferralStatus.DECLINED, ReferralStatus.ACCEPTED, undefined],
    [ReferralStatus.REQUESTED, ReferralStatus.IN_SERVICE, undefined],
    [ReferralStatus.IN_SERVICE, ReferralStatus.CONSENT_WITHDRAWN, undefined],
    [ReferralStatus.CONSENT_WITHDRAWN, ReferralStatus.ACCEPTED, undefined],
  ])('%s → %s: %s', (from, to, side) => {
    expect(REFERRAL_TRANSITIONS[from][to]).toBe(side);
  });

  test('a referral is seen by its two agencies and the coordinators', () => {
    const r = { taskForceId: 'tf', fromAgencyId: 'police', toAgencyId: 'ngo' };
    expect(maySeeReferral(actor('police', TaskForceRole.MEMBER), r)).toBe(true);
    expect(maySeeReferral(actor('ngo', TaskForceRole.OBSERVER), r)).toBe(true);
    expect(maySeeReferral(actor('court', TaskForceRole.MEMBER), r)).toBe(false);
    expect(maySeeReferral(actor('court', TaskForceRole.COORDINATOR), r)).toBe(true);
    expect(maySeeReferral(actor('police', TaskForceRole.MEMBER), { ...r, taskForceId: 'other' })).toBe(false);
  });
});
