import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { type Member } from '@hub/identity';
import { AgendaItem, Attendance, AttendanceMode, Meeting, MeetingsService, MeetingStatus } from '@hub/meetings';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { MeetingsFactory, type MeetingRows } from '../factories/meetings.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** The meeting rules, called on MeetingsService directly: state transitions, agenda editing, check-in. */
describe('MeetingsService', () => {
  let app: ServiceApp;
  let meetings: MeetingsService;
  let rows: MeetingsFactory;
  let taskForce: TaskForce;
  let coordinatorMember: Member;
  let coordinator: Actor;
  let member: Actor;
  let memberRow: Member;
  let observer: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    app = await startServiceApp();
    meetings = app.get(MeetingsService);
    rows = new MeetingsFactory(app);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    const person = async (tf: TaskForce, role: TaskForceRole, kind: AgencyKind) => {
      const m = await identity.member({ kind });
      await identity.membership(tf, m, role);
      return m;
    };
    coordinatorMember = await person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    memberRow = await person(taskForce, TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO);
    coordinator = await app.actor(coordinatorMember);
    member = await app.actor(memberRow);
    observer = await app.actor(await person(taskForce, TaskForceRole.OBSERVER, AgencyKind.INTERNATIONAL_ORGANISATION));
    outsider = await app.actor(await person(other, TaskForceRole.COORDINATOR, AgencyKind.POLICE));
  });
  afterAll(() => app?.close());

  const meeting = (status = MeetingStatus.SCHEDULED, agenda = ['Opening', 'Cases', 'Next steps']) =>
    rows.meeting(taskForce, coordinatorMember, { status, agenda });
  const stored = (m: MeetingRows) => app.em().findOneOrFail(Meeting, { id: m.meeting.id });
  const agendaOf = (m: MeetingRows) =>
    app.em().find(AgendaItem, { meeting: m.meeting.id }, { orderBy: { position: 'asc' } });

  describe('state transitions', () => {
    it('starts a scheduled meeting on its first agenda item', async () => {
      const m = await meeting();
      const started = await meetings.start(coordinator, m.meeting.id);
      expect(started.status).toBe(MeetingStatus.LIVE);
      expect(started.currentAgendaItemId).toBe(m.agenda[0].id);
      expect(started.startedAt).toBeInstanceOf(Date);
    });

    it('refuses to start a meeting that is already running', async () => {
      const m = await meeting(MeetingStatus.LIVE);
      await expect(meetings.start(coordinator, m.meeting.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { status: MeetingStatus.LIVE },
      });
    });

    it('ends a live meeting, clears its current item and checks everyone still in the room out', async () => {
      const m = await meeting(MeetingStatus.LIVE);
      await meetings.checkIn(member, m.meeting.id, AttendanceMode.IN_PERSON);
      const ended = await meetings.end(coordinator, m.meeting.id);
      expect(ended.status).toBe(MeetingStatus.ENDED);
      expect(ended.currentAgendaItemId).toBeNull();
      const attendance = await app.em().find(Attendance, { meeting: m.meeting.id });
      expect(attendance).toHaveLength(1);
      expect(attendance[0].leftAt).toBeInstanceOf(Date);
    });

    it('refuses to end a meeting that has not started', async () => {
      const m = await meeting();
      await expect(meetings.end(coordinator, m.meeting.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { status: MeetingStatus.SCHEDULED },
      });
    });

    it('cancels a scheduled meeting with its reason, and refuses to cancel a live one', async () => {
      const scheduled = await meeting();
      const cancelled = await meetings.cancel(coordinator, scheduled.meeting.id, 'Prosecutor unavailable');
      expect(cancelled.status).toBe(MeetingStatus.CANCELLED);
      expect(cancelled.cancelReason).toBe('Prosecutor unavailable');
      const live = await meeting(MeetingStatus.LIVE);
      await expect(meetings.cancel(coordinator, live.meeting.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await stored(live)).status).toBe(MeetingStatus.LIVE);
    });

    it('refuses to edit an ended or cancelled meeting', async () => {
      for (const status of [MeetingStatus.ENDED, MeetingStatus.CANCELLED]) {
        const m = await meeting(status);
        await expect(meetings.edit(coordinator, m.meeting.id, { title: 'Renamed' })).rejects.toMatchObject({
          code: 'CONFLICT',
          extensions: { status },
        });
      }
    });

    it('advances to the next agenda item, or to the one chosen', async () => {
      const m = await meeting(MeetingStatus.LIVE);
      expect((await meetings.advance(coordinator, m.meeting.id)).currentAgendaItemId).toBe(m.agenda[1].id);
      expect((await meetings.advance(coordinator, m.meeting.id, m.agenda[0].id)).currentAgendaItemId).toBe(
        m.agenda[0].id,
      );
    });

    it('refuses to advance past the last item, to an item of another meeting, or before the start', async () => {
      const live = await meeting(MeetingStatus.LIVE, ['Only item']);
      await expect(meetings.advance(coordinator, live.meeting.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      const elsewhere = await meeting();
      await expect(meetings.advance(coordinator, live.meeting.id, elsewhere.agenda[0].id)).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'agendaItemId' },
      });
      await expect(meetings.advance(coordinator, elsewhere.meeting.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { status: MeetingStatus.SCHEDULED },
      });
    });

    it('lets only a coordinator run the meeting: a member is FORBIDDEN, another task force NOT_FOUND', async () => {
      const m = await meeting();
      await expect(meetings.start(member, m.meeting.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(meetings.start(outsider, m.meeting.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await stored(m)).status).toBe(MeetingStatus.SCHEDULED);
    });
  });

  describe('agenda editing', () => {
    it('inserts an item at a position and moves the later ones down', async () => {
      const m = await meeting();
      const added = await meetings.addAgendaItem(coordinator, m.meeting.id, { title: 'Urgent case' }, 1);
      expect(added.position).toBe(1);
      const agenda = await agendaOf(m);
      expect(agenda.map((item) => item.title)).toEqual(['Opening', 'Urgent case', 'Cases', 'Next steps']);
    });

    it('refuses a position outside the agenda', async () => {
      const m = await meeting();
      await expect(meetings.addAgendaItem(coordinator, m.meeting.id, { title: 'Late' }, 4)).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'position' },
      });
    });

    it('reorders when the list names every item once, and refuses a list with a duplicate or a gap', async () => {
      const m = await meeting();
      const [a, b, c] = m.agenda.map((item) => item.id);
      const reordered = await meetings.reorderAgenda(coordinator, m.meeting.id, [c, a, b]);
      expect(reordered.map((item) => item.id)).toEqual([c, a, b]);
      for (const wrong of [
        [a, a, b],
        [a, b],
      ]) {
        await expect(meetings.reorderAgenda(coordinator, m.meeting.id, wrong)).rejects.toMatchObject({
          code: 'BAD_USER_INPUT',
          extensions: { field: 'agendaItemIds' },
        });
      }
    });

    it('removes an item and moves the later ones up', async () => {
      const m = await meeting();
      await meetings.removeAgendaItem(coordinator, m.agenda[0].id);
      const agenda = await agendaOf(m);
      expect(agenda.map((item) => [item.title, item.position])).toEqual([
        ['Cases', 0],
        ['Next steps', 1],
      ]);
    });

    it('keeps the item being discussed, and an item with minutes, on the agenda', async () => {
      const m = await meeting(MeetingStatus.LIVE);
      await expect(meetings.removeAgendaItem(coordinator, m.agenda[0].id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { field: 'agendaItemId' },
      });
      await meetings.addNote(member, m.meeting.id, m.agenda[1].id, 'Discussed briefly');
      await expect(meetings.removeAgendaItem(coordinator, m.agenda[1].id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { field: 'agendaItemId' },
      });
      expect(await agendaOf(m)).toHaveLength(3);
    });

    it('refuses agenda changes once the meeting has ended', async () => {
      const m = await meeting(MeetingStatus.ENDED);
      await expect(meetings.addAgendaItem(coordinator, m.meeting.id, { title: 'Too late' })).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { status: MeetingStatus.ENDED },
      });
      await expect(meetings.updateAgendaItem(coordinator, m.agenda[0].id, { title: 'Renamed' })).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { status: MeetingStatus.ENDED },
      });
    });

    it('takes a presenter only from the task force', async () => {
      const m = await meeting();
      const updated = await meetings.updateAgendaItem(coordinator, m.agenda[0].id, { presenterId: memberRow.id });
      expect(updated.presenter?.id).toBe(memberRow.id);
      await expect(
        meetings.updateAgendaItem(coordinator, m.agenda[0].id, { presenterId: outsider.memberId }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'item.presenterId' } });
    });

    it('lets only a coordinator edit the agenda', async () => {
      const m = await meeting();
      await expect(meetings.addAgendaItem(member, m.meeting.id, { title: 'Mine' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });
  });

  describe('check-in', () => {
    it('checks a member in once: a second check-in without checking out is a CONFLICT', async () => {
      const m = await meeting();
      const attendance = await meetings.checkIn(member, m.meeting.id, AttendanceMode.REMOTE);
      expect(attendance.member.id).toBe(member.memberId);
      expect(attendance.markedBy.id).toBe(member.memberId);
      await expect(meetings.checkIn(member, m.meeting.id, AttendanceMode.IN_PERSON)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { field: 'memberId' },
      });
    });

    it('checks in again after checking out, to change how one attends', async () => {
      const m = await meeting(MeetingStatus.LIVE);
      await meetings.checkIn(member, m.meeting.id, AttendanceMode.REMOTE);
      const out = await meetings.checkOut(member, m.meeting.id);
      expect(out.leftAt).toBeInstanceOf(Date);
      const again = await meetings.checkIn(member, m.meeting.id, AttendanceMode.IN_PERSON);
      expect(again.mode).toBe(AttendanceMode.IN_PERSON);
      expect(await app.em().count(Attendance, { meeting: m.meeting.id })).toBe(2);
    });

    it('refuses to check out someone who is not checked in', async () => {
      const m = await meeting();
      await expect(meetings.checkOut(member, m.meeting.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { field: 'memberId' },
      });
    });

    it('lets an observer check themselves in', async () => {
      const m = await meeting();
      const attendance = await meetings.checkIn(observer, m.meeting.id, AttendanceMode.REMOTE);
      expect(attendance.member.id).toBe(observer.memberId);
    });

    it('lets a coordinator record another member of the task force, and no one outside it', async () => {
      const m = await meeting();
      const marked = await meetings.checkIn(coordinator, m.meeting.id, AttendanceMode.IN_PERSON, member.memberId);
      expect(marked.member.id).toBe(member.memberId);
      expect(marked.markedBy.id).toBe(coordinator.memberId);
      await expect(
        meetings.checkIn(coordinator, m.meeting.id, AttendanceMode.IN_PERSON, outsider.memberId),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'memberId' } });
    });

    it('does not let a member check someone else in', async () => {
      const m = await meeting();
      await expect(
        meetings.checkIn(member, m.meeting.id, AttendanceMode.IN_PERSON, coordinator.memberId),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await app.em().count(Attendance, { meeting: m.meeting.id })).toBe(0);
    });

    it('refuses check-in to an ended or cancelled meeting', async () => {
      for (const status of [MeetingStatus.ENDED, MeetingStatus.CANCELLED]) {
        const m = await meeting(status);
        await expect(meetings.checkIn(member, m.meeting.id, AttendanceMode.REMOTE)).rejects.toMatchObject({
          code: 'CONFLICT',
          extensions: { status },
        });
      }
    });

    it('answers NOT_FOUND to a member of another task force', async () => {
      const m = await meeting();
      await expect(meetings.checkIn(outsider, m.meeting.id, AttendanceMode.REMOTE)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });
});
