import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItem, ActionItemsService, ActionItemStatus } from '@hub/action-items';
import { CaseStage, CaseSummariesService, CaseSummary } from '@hub/case-summaries';
import { MembersService } from '@hub/identity';
import { Meeting, MeetingsService, MeetingStatus } from '@hub/meetings';
import { ReadinessState, ReferralStatus } from '@hub/referrals';
import { ReportsService, type TaskForceReport } from '@hub/reports';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { ReportsFactory } from '../factories/reports.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/**
 * Every indicator of the task-force report, computed by hand for the scenario below and compared
 * value by value. The report asked for is 2026-Q2 (1 April to 30 June, Bucharest), so its trend is
 * 2025-Q3, 2025-Q4, 2026-Q1, 2026-Q2. Rows on either side of the quarter's edges (midnight in
 * Bucharest, UTC+3 in summer) check that the periods are Bucharest's.
 */
describe('ReportsService: the task-force report', () => {
  let app: ServiceApp;
  let reports: ReportsService;
  let taskForce: TaskForce;
  let coordinator: Actor;
  let observer: Actor;
  let outsider: Actor;
  let national: Actor;
  let report: TaskForceReport;

  beforeAll(async () => {
    app = await startServiceApp();
    reports = app.get(ReportsService);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    const police = await identity.agency(AgencyKind.POLICE);
    const ngo = await identity.agency(AgencyKind.VICTIM_SUPPORT_NGO);
    const c = await identity.member({ kind: AgencyKind.NATIONAL_AGENCY });
    const p1 = await identity.member({ agency: police });
    const p2 = await identity.member({ agency: police });
    const n1 = await identity.member({ agency: ngo });
    const pr = await identity.member({ kind: AgencyKind.PROSECUTION });
    await identity.membership(taskForce, c, TaskForceRole.COORDINATOR);
    await identity.membership(taskForce, p1, TaskForceRole.MEMBER);
    await identity.membership(taskForce, p2, TaskForceRole.MEMBER);
    await identity.membership(taskForce, n1, TaskForceRole.MEMBER);
    await identity.membership(taskForce, pr, TaskForceRole.OBSERVER);
    const out = await identity.member({ kind: AgencyKind.POLICE });
    await identity.membership(other, out, TaskForceRole.COORDINATOR);
    const admin = await identity.member({ admin: true });
    const programme = await identity.member({ kind: AgencyKind.NATIONAL_AGENCY });
    await app.get(MembersService).setNationalProgramme(await app.actor(admin), programme.id, true);
    coordinator = await app.actor(c);
    observer = await app.actor(pr);
    outsider = await app.actor(out);
    national = await app.actor(programme);

    const em = app.em();
    const f = new ReportsFactory(em, taskForce, c);
    // Meetings. 2026-Q1: M0 held (police). 2026-Q2: M1 and M2 held, M3 cancelled, M4 still planned
    // (23:30 on 30 June in Bucharest); M5 at 00:30 on 1 July in Bucharest belongs to Q3.
    f.meeting('2026-03-20T08:00:00Z', MeetingStatus.ENDED, [p1]);
    const m1 = f.meeting('2026-04-10T07:00:00Z', MeetingStatus.ENDED, [c, p1, p2, n1]);
    const m2 = f.meeting('2026-05-12T07:00:00Z', MeetingStatus.ENDED, [c, pr]);
    f.meeting('2026-06-05T07:00:00Z', MeetingStatus.CANCELLED);
    f.meeting('2026-06-30T20:30:00Z', MeetingStatus.SCHEDULED);
    f.meeting('2026-06-30T21:30:00Z', MeetingStatus.ENDED, [c]);
    const d1 = f.decision(m1);
    const d2 = f.decision(m1);
    const d3 = f.decision(m2);
    // Action items. A due day ends at 22:00 UTC (24:00 UTC+2).
    f.item({
      createdAt: '2026-04-10T09:00:00Z',
      dueOn: '2026-04-20',
      status: ActionItemStatus.DONE,
      completedAt: '2026-04-20T20:00:00Z',
      agency: police,
      decision: d1,
    }); // on time
    f.item({
      createdAt: '2026-04-10T09:00:00Z',
      dueOn: '2026-04-20',
      status: ActionItemStatus.DONE,
      completedAt: '2026-04-25T10:00:00Z',
      member: p2,
      decision: d2,
    }); // 4 d 12 h late: 5 days
    f.item({
      createdAt: '2026-05-12T09:00:00Z',
      dueOn: '2026-05-20',
      status: ActionItemStatus.DONE,
      completedAt: '2026-05-21T08:00:00Z',
      agency: ngo,
    }); // 10 h late: 1 day
    f.item({ createdAt: '2026-05-12T09:00:00Z', dueOn: '2026-06-15', member: n1, decision: d3 }); // overdue at the end of Q2
    f.item({ createdAt: '2026-05-15T09:00:00Z', dueOn: '2026-07-10' }); // unassigned, not yet due
    f.item({
      createdAt: '2026-06-01T09:00:00Z',
      dueOn: '2026-06-10',
      status: ActionItemStatus.CANCELLED,
      agency: police,
    }); // cancelled: never overdue
    f.item({
      createdAt: '2026-06-01T09:00:00Z',
      dueOn: '2026-06-20',
      status: ActionItemStatus.DONE,
      completedAt: '2026-07-02T09:00:00Z',
      agency: police,
    }); // overdue at the end of Q2, closed in Q3
    f.item({
      createdAt: '2026-03-01T09:00:00Z',
      dueOn: '2026-03-10',
      status: ActionItemStatus.DONE,
      completedAt: '2026-04-02T09:00:00Z',
      member: pr,
    }); // Q1 item, 22 d 11 h late: 23 days
    // Case summaries: [at, stage, victims, minors, in proceedings].
    f.caseSummary('C-1', [
      ['2026-02-01T10:00:00Z', CaseStage.IDENTIFICATION, 2, 1, 0],
      ['2026-04-15T10:00:00Z', CaseStage.INVESTIGATION, 3, 1, 1],
      ['2026-06-01T10:00:00Z', CaseStage.PROSECUTION, 3, 1, 2],
    ]);
    const caseTwo = f.caseSummary('C-2', [
      ['2026-05-01T09:00:00Z', CaseStage.IDENTIFICATION, 1, 0, 0],
      ['2026-05-11T09:00:00Z', CaseStage.IDENTIFICATION, 2, 2, 0],
    ]);
    f.caseSummary('C-3', [['2026-07-05T09:00:00Z', CaseStage.IDENTIFICATION, 4, 0, 0]]);
    // Referrals of C-2 from the police to the NGO. Answered in time: R1 (Q2), R4 (Q1, on the
    // deadline's instant). R2 answered late, R3 never; R5 is requested in Q2 and due in Q3 (answered
    // in time, but counted there). R2 and R5 were overrides (no consent); R6, an override of Q1.
    const withdrawn = f.consent(caseTwo, police, ngo, '2026-05-02T09:00:00Z', '2026-06-30T20:30:00Z'); // Q2 (23:30 Bucharest)
    f.consent(caseTwo, police, ngo, '2026-03-02T09:00:00Z', '2026-06-30T21:30:00Z'); // 00:30 on 1 July: Q3
    f.consent(caseTwo, police, ngo, '2026-02-02T09:00:00Z', '2026-03-15T09:00:00Z'); // Q1
    const r = (
      requestedAt: string,
      respondBy: string,
      answeredAt?: string,
      consent: typeof withdrawn | null = withdrawn,
    ) => f.referral({ summary: caseTwo, from: police, to: ngo, consent, requestedAt, respondBy, answeredAt });
    r('2026-05-04T08:00:00Z', '2026-05-06T08:00:00Z', '2026-05-05T10:00:00Z'); // R1
    r('2026-05-10T08:00:00Z', '2026-05-12T08:00:00Z', '2026-05-13T08:00:00Z', null); // R2
    f.referral({
      summary: caseTwo,
      from: police,
      to: ngo,
      consent: withdrawn,
      requestedAt: '2026-06-02T08:00:00Z',
      respondBy: '2026-06-04T08:00:00Z',
      status: ReferralStatus.CONSENT_WITHDRAWN,
    }); // R3
    r('2026-03-09T08:00:00Z', '2026-03-11T08:00:00Z', '2026-03-11T08:00:00Z'); // R4
    r('2026-06-30T08:00:00Z', '2026-07-02T08:00:00Z', '2026-07-01T08:00:00Z', null); // R5
    r('2026-02-09T08:00:00Z', '2026-02-11T08:00:00Z', undefined, null); // R6
    // Hearings: H1 (Q2) complete before it began; H2 (Q2) one item still open; H3 (Q2) complete, but
    // an item ticked only after it began; H4 (Q1) complete; H5 (Q3) complete.
    const done = (at: string): [ReadinessState, string] => [ReadinessState.DONE, at];
    const notNeeded = (at: string): [ReadinessState, string] => [ReadinessState.NOT_NEEDED, at];
    const open = (at: string): [ReadinessState, string] => [ReadinessState.OPEN, at];
    const at = '2026-04-01T08:00:00Z';
    f.hearing(caseTwo, '2026-05-20T07:00:00Z', police, [done(at), notNeeded(at), done('2026-05-20T06:00:00Z')]); // H1
    f.hearing(caseTwo, '2026-06-10T07:00:00Z', ngo, [done(at), open(at)]); // H2
    f.hearing(caseTwo, '2026-06-20T07:00:00Z', police, [done(at), done('2026-06-20T09:00:00Z')]); // H3
    f.hearing(caseTwo, '2026-03-20T07:00:00Z', police, [done('2026-03-01T08:00:00Z')]); // H4
    f.hearing(caseTwo, '2026-06-30T21:30:00Z', police, [done(at)]); // H5: 00:30 on 1 July
    await em.flush();
    report = await reports.taskForceReport(observer, taskForce.id, '2026-Q2');
  });
  afterAll(() => app?.close());

  const table = (id: string) => {
    const found = report.tables.find((t) => t.indicator === id);
    if (!found) throw new Error(`no table ${id}`);
    return Object.fromEntries(found.rows.map((r) => [r.key, r.values]));
  };

  it('covers 2025-Q3 to 2026-Q2 in Bucharest', () => {
    expect(report.periods.map((p) => p.key)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    expect(report.period).toEqual({ key: '2026-Q2', kind: 'QUARTER', from: '2026-04-01', to: '2026-06-30' });
  });

  it('meetings held against scheduled', () => {
    expect(table('meetings.scheduled')).toEqual({ ALL: [0, 0, 1, 4] });
    expect(table('meetings.held')).toEqual({ ALL: [0, 0, 1, 2] });
    expect(table('meetings.heldRate')).toEqual({ ALL: [null, null, 1, 0.5] });
  });

  it('attendance by agency kind and agencies per meeting', () => {
    expect(table('attendance.meetingsWithAgencyKind')).toEqual({
      POLICE: [0, 0, 1, 1],
      PROSECUTION: [0, 0, 0, 1],
      VICTIM_SUPPORT_NGO: [0, 0, 0, 1],
      NATIONAL_AGENCY: [0, 0, 0, 2],
    });
    expect(table('attendance.rateByAgencyKind')).toEqual({
      POLICE: [null, null, 1, 0.5],
      PROSECUTION: [null, null, 0, 0.5],
      VICTIM_SUPPORT_NGO: [null, null, 0, 0.5],
      NATIONAL_AGENCY: [null, null, 0, 1],
    });
    // M1: the national agency, the police agency (two officers count once), the NGO; M2: two.
    expect(table('attendance.agenciesPerMeeting')).toEqual({ ALL: [null, null, 1, 2.5] });
  });

  it('action items created, closed on time and late, overdue, median days late, by agency kind', () => {
    const kinds = (q1: number, q2: Record<string, number>) => ({
      POLICE: [0, 0, 0, q2.POLICE ?? 0],
      PROSECUTION: [0, 0, q1, q2.PROSECUTION ?? 0],
      VICTIM_SUPPORT_NGO: [0, 0, 0, q2.VICTIM_SUPPORT_NGO ?? 0],
      NATIONAL_AGENCY: [0, 0, 0, 0],
      UNASSIGNED: [0, 0, 0, q2.UNASSIGNED ?? 0],
    });
    expect(table('actionItems.created')).toEqual(kinds(1, { POLICE: 4, VICTIM_SUPPORT_NGO: 2, UNASSIGNED: 1 }));
    expect(table('actionItems.closedOnTime')).toEqual(kinds(0, { POLICE: 1 }));
    expect(table('actionItems.closedLate')).toEqual(kinds(0, { POLICE: 1, VICTIM_SUPPORT_NGO: 1, PROSECUTION: 1 }));
    expect(table('actionItems.overdue')).toEqual(kinds(1, { POLICE: 1, VICTIM_SUPPORT_NGO: 1 }));
    expect(table('actionItems.medianDaysLate')).toEqual({
      ALL: [null, null, null, 5],
      POLICE: [null, null, null, 5],
      PROSECUTION: [null, null, null, 23],
      VICTIM_SUPPORT_NGO: [null, null, null, 1],
      NATIONAL_AGENCY: [null, null, null, null],
      UNASSIGNED: [null, null, null, null],
    });
  });

  it('decisions followed by a completed action item', () => {
    expect(table('decisions.recorded')).toEqual({ ALL: [0, 0, 0, 3] });
    expect(table('decisions.followedUp')).toEqual({ ALL: [0, 0, 0, 2] });
  });

  it('case summaries by stage, transitions, days to each stage', () => {
    const stages = (q1: number[], q2: number[]) =>
      Object.fromEntries(
        ['IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED'].map((s, i) => [s, [0, 0, q1[i], q2[i]]]),
      );
    expect(table('cases.byStage')).toEqual(stages([1, 0, 0, 0, 0], [1, 0, 1, 0, 0]));
    expect(table('cases.transitions')).toEqual({
      'IDENTIFICATION→INVESTIGATION': [0, 0, 0, 1],
      'INVESTIGATION→PROSECUTION': [0, 0, 0, 1],
    });
    // C-1: 1 Feb → 15 Apr is 73 days, 1 Feb → 1 Jun 120; C-2 reached identification when created.
    expect(table('cases.daysToStage')).toEqual({
      IDENTIFICATION: [null, null, 0, 0],
      INVESTIGATION: [null, null, null, 73],
      PROSECUTION: [null, null, null, 120],
      TRIAL: [null, null, null, null],
      CLOSED: [null, null, null, null],
    });
  });

  it('victims, victims in proceedings and minors, from the case counts at the end of each period', () => {
    const stages = (q1: number[], q2: number[]) =>
      Object.fromEntries(
        ['IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED'].map((s, i) => [s, [0, 0, q1[i], q2[i]]]),
      );
    expect(table('victims.total')).toEqual(stages([2, 0, 0, 0, 0], [2, 0, 3, 0, 0]));
    expect(table('victims.inProceedings')).toEqual(stages([0, 0, 0, 0, 0], [0, 0, 2, 0, 0]));
    expect(table('victims.minors')).toEqual(stages([1, 0, 0, 0, 0], [2, 0, 1, 0, 0]));
  });

  it('referrals answered in time, overrides, consents withdrawn, hearings with a complete checklist', () => {
    expect(table('referrals.answeredInTime')).toEqual({ ALL: [0, 0, 1, 1] });
    expect(table('referrals.overridden')).toEqual({ ALL: [0, 0, 1, 2] });
    expect(table('consents.withdrawn')).toEqual({ ALL: [0, 0, 1, 1] });
    expect(table('hearings.checklistComplete')).toEqual({ ALL: [0, 0, 1, 1] });
  });

  it('has one table per indicator and no case code or text in it', () => {
    expect(report.tables.map((t) => t.indicator)).toHaveLength(23);
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/C-[123]|Decided|Do it|Coordination meeting|Tribunalul|Urgent shelter/);
  });

  it('a month and a year give the same figures for the same rows', async () => {
    const june = await reports.taskForceReport(coordinator, taskForce.id, '2026-06');
    expect(june.periods.map((p) => p.key)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06']);
    expect(june.tables.find((t) => t.indicator === 'meetings.scheduled')!.rows[0].values).toEqual([1, 1, 1, 2]);
    const custom = await reports.taskForceReport(coordinator, taskForce.id, '2026-04-01..2026-06-30');
    expect(custom.tables.find((t) => t.indicator === 'actionItems.closedLate')!.rows.map((r) => r.values[3])).toEqual([
      1, 1, 1, 0, 0,
    ]);
  });

  it('refuses another task force with NOT_FOUND, and a bad period with BAD_USER_INPUT', async () => {
    await expect(reports.taskForceReport(outsider, taskForce.id, '2026-Q2')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(reports.taskForceReport(coordinator, taskForce.id, '2026-Q5')).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'period' },
    });
  });

  describe('the national programme role', () => {
    it('gets FORBIDDEN on the task-force report and on every case-level query', async () => {
      const em = app.em();
      const anyCase = await em.findOneOrFail(CaseSummary, { caseCode: 'C-1' });
      const meetingId = (await em.findOneOrFail(Meeting, { taskForce: taskForce.id, status: MeetingStatus.ENDED })).id;
      const itemId = (await em.findOneOrFail(ActionItem, { taskForce: taskForce.id, dueOn: '2026-06-15' })).id;
      const cases = app.get(CaseSummariesService);
      const meetings = app.get(MeetingsService);
      const items = app.get(ActionItemsService);
      const attempts: [string, () => Promise<unknown>][] = [
        ['taskForceReport', () => reports.taskForceReport(national, taskForce.id, '2026-Q2')],
        ['caseSummaries', () => cases.list(national, taskForce.id)],
        ['caseSummary', () => cases.get(national, anyCase.id)],
        ['compareCaseSummaryVersions', () => cases.compare(national, anyCase.id, 1, 2)],
        ['meetings', () => meetings.list(national, taskForce.id, {}, 10)],
        ['meeting', () => meetings.get(national, meetingId)],
        ['actionItem', () => items.get(national, itemId)],
        ['actionItems', () => items.list(national, taskForce.id, {}, 10)],
      ];
      for (const [name, attempt] of attempts)
        await expect(attempt().then(() => name)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});
