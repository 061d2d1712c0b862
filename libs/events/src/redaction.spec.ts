import { AgencyKind } from '@hub/access';
import type { EventEnvelope } from './event-map';
import { redactFor, redactionKey } from './redaction';

const police = { kind: AgencyKind.POLICE, agencyId: 'agency-police' };
const ngo = { kind: AgencyKind.VICTIM_SUPPORT_NGO, agencyId: 'agency-ngo' };
const otherNgo = { kind: AgencyKind.VICTIM_SUPPORT_NGO, agencyId: 'agency-other-ngo' };
const labour = { kind: AgencyKind.LABOUR_INSPECTION, agencyId: 'agency-labour' };

const referral = {
  type: 'referral.requested',
  taskForceId: 'tf',
  cursor: 7,
  at: '2026-12-01T10:00:00.000Z',
  actorId: 'member-police',
  data: {
    referralId: 'r1',
    caseSummaryId: 'c1',
    fromAgencyId: police.agencyId,
    toAgencyId: ngo.agencyId,
    purpose: 'SHELTER',
    status: 'REQUESTED',
    sections: ['INVESTIGATION'],
    urgent: false,
    respondBy: '2026-12-03T10:00:00.000Z',
  },
} as unknown as EventEnvelope;

describe('a referral event on the live streams', () => {
  it('reaches its two agencies whole and every other agency withheld, envelope kept', () => {
    expect(redactFor(referral, police)).toBe(referral);
    expect(redactFor(referral, ngo)).toBe(referral);
    for (const audience of [otherNgo, labour])
      expect(redactFor(referral, audience)).toEqual({ ...referral, data: null, withheld: true });
  });

  it('is redacted per agency, not per agency kind: two NGOs do not share one version', () => {
    expect(redactionKey(ngo, undefined, referral)).not.toBe(redactionKey(otherNgo, undefined, referral));
    const meeting = { ...referral, type: 'meeting.started', data: { meetingId: 'm1' } } as unknown as EventEnvelope;
    expect(redactionKey(ngo, undefined, meeting)).toBe(redactionKey(otherNgo, undefined, meeting));
  });
});
