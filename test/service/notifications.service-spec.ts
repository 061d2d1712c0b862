import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItem, ActionItemChange, ActionItemsService, ActionItemStatus } from '@hub/action-items';
import { addCalendarDays, bucharestInstant, ManualClock } from '@hub/core';
import { type Agency, Member, Membership } from '@hub/identity';
import { MeetingsService } from '@hub/meetings';
import { inboxCursor, Notification, NotificationsService, ReminderStep, ReminderSweep } from '@hub/notifications';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/*
 * The calendar these tests walk through: Orthodox Easter 2027 is on 2 May, so Friday 30 April (Good
 * Friday) and Monday 3 May (Easter Monday) are public holidays, and Saturday 1 May is Labour Day.
 * An item due on Tuesday 4 May is "due in 3 working days" on Tuesday 27 April, overdue by one working
 * day on Wednesday 5 May and by three on Friday 7 May.
 */
const DUE = '2027-05-04';
const FIRST_DAY = '2027-04-24';
const LAST_DAY = '2027-05-12';

/** Every reminder step, day by day, to whom: what the sweep wrote on the days the clock moved through. */
describe('Reminders and the inbox', () => {
  const clock = new ManualClock(bucharestInstant(FIRST_DAY, '09:00'));
  let app: ServiceApp;
  let items: ActionItemsService;
  let inbox: NotificationsService;
  let sweep: ReminderSweep;
  let taskForce: TaskForce;
  let police: Agency;
  let ngoAgency: Agency;
  let coordinator: Actor;
  let officer: Actor;
  let colleague: Actor;
  let ngo: Actor;
  let leaver: Actor;
  let outsider: Actor;
  const names = new Map<string, string>();

  beforeAll(async () => {
    app = await startServiceApp({ clock });
    items = app.get(ActionItemsService);
    inbox = app.get(NotificationsService);
    sweep = app.get(ReminderSweep);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    police = await identity.agency(AgencyKind.POLICE);
    ngoAgency = await identity.agency(AgencyKind.VICTIM_SUPPORT_NGO);
    const person = async (
      name: string,
      tf: TaskForce,
      role: TaskForceRole,
      options: { agency?: Agency; kind?: AgencyKind },
    ) => {
      const member = await identity.member(options);
      await identity.membership(tf, member, role);
      names.set(member.id, name);
      return app.actor(member);
    };
    coordinator = await person('coordinator', taskForce, TaskForceRole.COORDINATOR, {
      kind: AgencyKind.NATIONAL_AGENCY,
    });
    officer = await person('officer', taskForce, TaskForceRole.MEMBER, { agency: police });
    colleague = await person('colleague', taskForce, TaskForceRole.MEMBER, { agency: police });
    leaver = await person('leaver', taskForce, TaskForceRole.MEMBER, { agency: police });
    await person('observer', taskForce, TaskForceRole.OBSERVER, { agency: police });
    ngo = await person('ngo', taskForce, TaskForceRole.MEMBER, { agency: ngoAgency });
    outsider = await person('outsider', other, TaskForceRole.COORDINATOR, { agency: police });
  });
  afterAll(() => app?.close());

  /** What was written after `after`, as "kind → name", in order of recipients' names. */
  async function written(after: number): Promise<string[]> {
    const rows = await app.em().find(Notification, { id: { $gt: after } }, { orderBy: { id: 'asc' } });
    return rows.map((r) => `${r.kind} → ${names.get(r.member.id)}`).sort();
  }
  async function lastId(): Promise<number> {
    const last = await app.em().findOne(Notification, { id: { $gt: 0 } }, { orderBy: { id: 'desc' } });
    return last?.id ?? 0;
  }

  /** Moves the clock to 09:00 of each day up to `to`, sweeping twice a day; returns what each day wrote. */
  async function walk(from: string, to: string, subject?: string): Promise<Record<string, string[]>> {
    const days: Record<string, string[]> = {};
    for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
      const before = await lastId();
      clock.set(bucharestInstant(day, '09:00'));
      await sweep.sweep();
      clock.set(bucharestInstant(day, '17:00'));
      await sweep.sweep();
      const rows = await app
        .em()
        .find(
          Notification,
          { id: { $gt: before }, ...(subject && { subjectId: subject }) },
          { orderBy: { id: 'asc' } },
        );
      if (rows.length) days[day] = rows.map((r) => `${r.kind} → ${names.get(r.member.id)}`).sort();
    }
    return days;
  }

  async function clearSteps() {
    // Each test starts the calendar again: items of earlier tests are closed so they stay quiet.
    await app.em().nativeUpdate(ActionItem, {}, { status: ActionItemStatus.DONE });
  }

  it('notifies an assignment at once, to the assignee or to their agency, never to whoever assigned it', async () => {
    const before = await lastId();
    await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Ask the bank',
      dueOn: '2027-06-30',
      assignee: { memberId: officer.memberId },
    });
    await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'For the police',
      dueOn: '2027-06-30',
      assignee: { agencyId: police.id },
    });
    // A member creating an item for their own agency is not told of it; their colleagues are.
    await items.create(colleague, {
      taskForceId: taskForce.id,
      title: 'Ours',
      dueOn: '2027-06-30',
      assignee: { agencyId: police.id },
    });
    expect(await written(before)).toEqual([
      'ASSIGNED → colleague',
      'ASSIGNED → leaver',
      'ASSIGNED → leaver',
      'ASSIGNED → officer',
      'ASSIGNED → officer',
      'ASSIGNED → officer',
    ]);
    await clearSteps();
  });

  it('walks an item day by day past its due date, across a weekend and the Orthodox Easter holidays', async () => {
    // The leaver goes before the steps start: nobody who is no longer a member hears of them.
    await app.em().nativeDelete(Membership, { member: leaver.memberId, taskForce: taskForce.id });
    const item = await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Request the phone records',
      dueOn: DUE,
      assignee: { memberId: officer.memberId },
    });
    expect(await walk(FIRST_DAY, LAST_DAY, item.id)).toEqual({
      '2027-04-27': ['DUE_SOON → officer'],
      '2027-05-04': ['DUE_TODAY → officer'],
      // The assignee and their agency's members (not its observers, not the one who left).
      '2027-05-05': ['OVERDUE → colleague', 'OVERDUE → officer'],
      '2027-05-07': ['OVERDUE_ESCALATED → coordinator'],
    });
  });

  it('tells the agency and the coordinators when an agency item is still unclaimed 2 working days later', async () => {
    await clearSteps();
    clock.set(bucharestInstant('2027-04-29', '09:00'));
    const item = await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Find a shelter place',
      dueOn: '2027-06-30',
      assignee: { agencyId: ngoAgency.id },
    });
    // Given to the agency on Thursday 29 April: Friday, the weekend and Monday are not working days.
    await app
      .em()
      .nativeUpdate(ActionItemChange, { actionItem: item.id }, { at: bucharestInstant('2027-04-29', '09:00') });
    expect(await walk('2027-04-29', '2027-05-10', item.id)).toEqual({
      '2027-05-05': ['UNCLAIMED → coordinator', 'UNCLAIMED → ngo'],
    });
  });

  it('starts the steps again when the due date changes, and stops them when the item is done', async () => {
    await clearSteps();
    const item = await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Second hearing',
      dueOn: '2027-05-10',
      assignee: { memberId: officer.memberId },
    });
    expect(await walk('2027-05-05', '2027-05-10', item.id)).toEqual({
      '2027-05-05': ['DUE_SOON → officer'],
      '2027-05-10': ['DUE_TODAY → officer'],
    });
    await items.edit(coordinator, item.id, { dueOn: '2027-05-14' });
    expect(await walk('2027-05-11', '2027-05-14', item.id)).toEqual({
      '2027-05-11': ['DUE_SOON → officer'],
      '2027-05-14': ['DUE_TODAY → officer'],
    });
    await items.changeStatus(officer, item.id, ActionItemStatus.IN_PROGRESS);
    await items.changeStatus(officer, item.id, ActionItemStatus.DONE);
    expect(await walk('2027-05-15', '2027-05-25', item.id)).toEqual({});
  });

  it('holds reminders while snoozed, with the reason in the item’s history', async () => {
    await clearSteps();
    clock.set(bucharestInstant('2027-05-17', '09:00'));
    const item = await items.create(coordinator, {
      taskForceId: taskForce.id,
      title: 'Interpreter for the hearing',
      dueOn: '2027-05-19',
      assignee: { memberId: officer.memberId },
    });
    await expect(inbox.snooze(officer, item.id, '2027-05-24', '  ')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(inbox.snooze(ngo, item.id, '2027-05-24', 'not mine')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(inbox.snooze(outsider, item.id, '2027-05-24', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await inbox.snooze(officer, item.id, '2027-05-24', 'Waiting for the court to name the interpreter');
    const history = await app.em().find(ActionItemChange, { actionItem: item.id, kind: 'snoozed' });
    expect(history.map((h) => h.after)).toEqual([
      { until: '2027-05-24', reason: 'Waiting for the court to name the interpreter' },
    ]);
    // Due on Wednesday 19 May: nothing until Monday 24, which is overdue by 3 working days.
    expect(await walk('2027-05-17', '2027-05-26', item.id)).toEqual({
      '2027-05-24': ['OVERDUE → colleague', 'OVERDUE → officer', 'OVERDUE_ESCALATED → coordinator'],
    });
  });

  it('fires each step once per due date, whoever sweeps, as the unique key in reminder_step says', async () => {
    const steps = await app.em().find(ReminderStep, {});
    const keys = steps.map((s) => `${s.subjectId}|${s.step}|${s.dueKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    // A second sweep on a day already swept writes nothing, and concurrent sweeps share one round.
    const before = await lastId();
    await Promise.all([sweep.sweep(), sweep.sweep()]);
    expect(await lastId()).toBe(before);
  });

  it('reminds every member of a meeting 15 minutes before it starts, once', async () => {
    const startsAt = bucharestInstant('2027-06-01', '10:00');
    clock.set(bucharestInstant('2027-05-31', '09:00'));
    const before = await lastId();
    const meeting = await app.get(MeetingsService).schedule(coordinator, {
      taskForceId: taskForce.id,
      title: 'June meeting',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
    });
    expect(await written(before)).toEqual([
      'MEETING_SCHEDULED → colleague',
      'MEETING_SCHEDULED → ngo',
      'MEETING_SCHEDULED → observer',
      'MEETING_SCHEDULED → officer',
    ]);
    const scheduled = await lastId();
    for (const time of ['09:30', '09:44', '09:46', '09:50', '09:59']) {
      clock.set(bucharestInstant('2027-06-01', time));
      await sweep.sweep();
    }
    const starting = await app.em().find(Notification, { id: { $gt: scheduled }, subjectId: meeting.id });
    expect(starting.map((n) => `${n.kind} ${n.urgent} → ${names.get(n.member.id)}`).sort()).toEqual([
      'MEETING_STARTING true → colleague',
      'MEETING_STARTING true → coordinator',
      'MEETING_STARTING true → ngo',
      'MEETING_STARTING true → observer',
      'MEETING_STARTING true → officer',
    ]);
  });

  it('keeps each inbox to its member: paging, unread count, marking read', async () => {
    const total = await app.em().count(Notification, { member: officer.memberId });
    expect(await inbox.unreadCount(officer)).toBe(total);
    const first = await inbox.inbox(officer, 3);
    expect(first.items).toHaveLength(3);
    expect(first.hasNextPage).toBe(true);
    const ids = first.items.map((n) => n.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const second = await inbox.inbox(officer, 200, inboxCursor(first.items[2]));
    expect(second.items.every((n) => n.id < ids[2])).toBe(true);
    expect(first.items.length + second.items.length).toBe(total);
    // Nobody marks another's notification read, or finds out it exists.
    await expect(inbox.markRead(colleague, ids[0])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await inbox.markRead(officer, ids[0]);
    expect(await inbox.unreadCount(officer)).toBe(total - 1);
    expect((await inbox.inbox(officer, 200, null, true)).items.map((n) => n.id)).not.toContain(ids[0]);
    expect(await inbox.markAllRead(officer)).toBe(total - 1);
    expect(await inbox.unreadCount(officer)).toBe(0);
    // An outsider's inbox is empty; a member who left no longer sees what the task force sent them.
    expect((await inbox.inbox(outsider, 50)).items).toEqual([]);
    const gone = await app.em().findOneOrFail(Member, { id: leaver.memberId });
    expect(await app.em().count(Notification, { member: gone.id })).toBeGreaterThan(0);
    expect(await inbox.unreadCount(await app.actor(gone))).toBe(0);
  });
});
