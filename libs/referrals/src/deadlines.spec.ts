import { bucharestInstant } from '@hub/core';
import { ReadinessState } from './hearing.entity';
import { readinessRemindersDue } from './hearings.service';
import { ReferralStatus } from './referral.entity';
import { referralRemindersDue, respondByFor } from './referrals.service';

describe('respond-by deadline', () => {
  test('2 working days at the same local time: a Friday request is due on Tuesday', () => {
    const friday = bucharestInstant('2026-12-04', '10:30');
    expect(respondByFor(friday, false)).toEqual(bucharestInstant('2026-12-08', '10:30'));
  });

  test("Romania's public holidays do not count: before Christmas it skips 25 and 26 December and the weekend", () => {
    const wednesday = bucharestInstant('2026-12-23', '09:00');
    // 24 (Thu) is a working day, 25 and 26 are holidays, 27 is Sunday: the second working day is Monday 28.
    expect(respondByFor(wednesday, false)).toEqual(bucharestInstant('2026-12-28', '09:00'));
  });

  test('urgent: 4 hours, whatever the day', () => {
    const saturday = bucharestInstant('2026-12-05', '22:00');
    expect(respondByFor(saturday, true).getTime() - saturday.getTime()).toBe(4 * 3_600_000);
  });
});

describe('readiness reminder steps', () => {
  const hearing = { id: 'h', startsAt: new Date('2026-12-20T08:00:00Z') };
  const open = [
    { state: ReadinessState.DONE, ownerAgency: { id: 'ngo' } },
    { state: ReadinessState.OPEN, ownerAgency: { id: 'police' } },
  ];
  const at = (iso: string) => new Date(iso);

  test.each([
    ['8 days before: nothing yet', '2026-12-12T08:00:00Z', []],
    ['7 days before: the owners', '2026-12-13T08:00:00Z', ['OWNERS_7_DAYS']],
    ['2 days before: the coordinators too', '2026-12-18T09:00:00Z', ['OWNERS_7_DAYS', 'COORDINATORS_2_DAYS']],
    ['after the hearing: nothing', '2026-12-20T09:00:00Z', []],
  ])('%s', (_, now, steps) => {
    expect(readinessRemindersDue(hearing, open, at(now)).map((s) => s.step)).toEqual(steps);
  });

  test('only the agencies whose items are open are named; a complete checklist reminds nobody', () => {
    expect(readinessRemindersDue(hearing, open, at('2026-12-19T08:00:00Z'))[0].ownerAgencyIds).toEqual(['police']);
    const done = open.map((i) => ({ ...i, state: ReadinessState.NOT_NEEDED }));
    expect(readinessRemindersDue(hearing, done, at('2026-12-19T08:00:00Z'))).toEqual([]);
  });
});

describe('referral reminder steps', () => {
  const requestedAt = new Date('2026-12-01T08:00:00Z');
  const referral = {
    id: 'r',
    status: ReferralStatus.REQUESTED,
    requestedAt,
    respondBy: respondByFor(requestedAt, true),
    toAgency: { id: 'ngo' },
  };
  const after = (hours: number) => new Date(requestedAt.getTime() + hours * 3_600_000);

  test.each([
    ['before the deadline: nothing', 3, []],
    ['at the deadline: the receiving agency', 4, ['RECEIVER_AT_DEADLINE']],
    [
      'as long again without an answer: the coordinators too',
      8,
      ['RECEIVER_AT_DEADLINE', 'COORDINATORS_AFTER_DEADLINE'],
    ],
  ])('%s', (_, hours, steps) => {
    expect(referralRemindersDue(referral, after(hours)).map((s) => s.step)).toEqual(steps);
  });

  test('an answered referral reminds nobody', () => {
    expect(referralRemindersDue({ ...referral, status: ReferralStatus.ACCEPTED }, after(9))).toEqual([]);
  });
});
