import { AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItem, ActionItemStatus, TRANSITIONS } from '@hub/action-items';
import { type Agency } from '@hub/identity';
import { type TaskForce } from '@hub/task-forces';
import {
  ActionItemsFactory,
  addDays,
  bucharestDates,
  CHANGE_STATUS,
  COMMENT_ITEM,
  CREATE_ITEM,
  EDIT_ITEM,
  GET_ITEM,
  LIST_ITEMS,
  type Person,
  TAKE_ITEM,
} from '../factories/action-items.factory';
import { invalidCnp, validCnp as cnp } from '../factories/cnp';
import { startTestApp, type TestApp } from '../utils/test-app';

const MISSING = '00000000-0000-4000-8000-000000000000';
const STATUSES = Object.values(ActionItemStatus);
const ACTIVE = ['OPEN', 'IN_PROGRESS', 'BLOCKED'];

/** Items sorted as the hub promises: by due date, then id. */
const byDueThenId = <T extends { dueOn: string; id: string }>(items: T[]) =>
  [...items].sort((a, b) =>
    a.dueOn === b.dueOn ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.dueOn < b.dueOn ? -1 : 1,
  );

/**
 * Action items end to end: who may create, take, move, edit and comment on what; the workflow table;
 * the history; the lists and their cursors; task-force isolation; and the identifier screen on
 * every free-text field. Runs on SQLite and on PostgreSQL.
 */
describe('action items', () => {
  let app: TestApp;
  let make: ActionItemsFactory;
  let taskForce: TaskForce;
  let otherTaskForce: TaskForce;
  let police: Agency;
  let ngo: Agency;
  let coordinator: Person;
  let alice: Person; // MEMBER, police
  let bob: Person; // MEMBER, police (alice's colleague)
  let carol: Person; // MEMBER, NGO
  let observer: Person; // OBSERVER, police
  let outsider: Person; // COORDINATOR of the other task force
  let outsiderColleague: Person; // MEMBER of the other task force, of the same police agency as alice
  let admin: Person; // platform administrator, member of no task force
  let emptyAgency: Agency; // nobody anywhere
  let ours: {
    meetingId: string;
    decisionId: string;
    caseSummary: { id: string; caseCode: string };
    secondMeetingId: string;
  };
  let theirs: { meetingId: string; decisionId: string; caseSummary: { id: string; caseCode: string } };
  const dates = bucharestDates();

  beforeAll(async () => {
    app = await startTestApp();
    make = new ActionItemsFactory(app);
    taskForce = await make.identity.taskForce();
    otherTaskForce = await make.identity.taskForce();
    police = await make.identity.agency(AgencyKind.POLICE);
    ngo = await make.identity.agency(AgencyKind.VICTIM_SUPPORT_NGO);
    emptyAgency = await make.identity.agency(AgencyKind.LABOUR_INSPECTION);
    coordinator = await make.person(taskForce, TaskForceRole.COORDINATOR, undefined, AgencyKind.NATIONAL_AGENCY);
    alice = await make.person(taskForce, TaskForceRole.MEMBER, police);
    bob = await make.person(taskForce, TaskForceRole.MEMBER, police);
    carol = await make.person(taskForce, TaskForceRole.MEMBER, ngo);
    observer = await make.person(taskForce, TaskForceRole.OBSERVER, police);
    outsider = await make.person(otherTaskForce, TaskForceRole.COORDINATOR, undefined, AgencyKind.BORDER_POLICE);
    outsiderColleague = await make.person(otherTaskForce, TaskForceRole.MEMBER, police);
    admin = await make.identity.signedIn(null, TaskForceRole.MEMBER, { admin: true });

    const first = await make.meetingWithDecision(coordinator.token, taskForce.id);
    const second = await make.meetingWithDecision(coordinator.token, taskForce.id);
    ours = {
      ...first,
      secondMeetingId: second.meetingId,
      caseSummary: await make.caseSummary(coordinator.token, taskForce.id),
    };
    theirs = {
      ...(await make.meetingWithDecision(outsider.token, otherTaskForce.id)),
      caseSummary: await make.caseSummary(outsider.token, otherTaskForce.id),
    };
  });
  afterAll(() => app.close());

  const forAlice = () => ({ taskForceId: taskForce.id, assignee: { memberId: alice.member.id } });
  const forPolice = () => ({ taskForceId: taskForce.id, assignee: { agencyId: police.id } });

  describe('creation', () => {
    it('lets a coordinator assign an item to a member, with every field', async () => {
      const before = Date.now();
      const item = await make.create(coordinator.token, {
        ...forAlice(),
        title: '  Interview the witness again  ',
        description: 'Ask about the recruiter in Craiova.',
        dueOn: dates.tomorrow,
        priority: 'HIGH',
        caseSummaryId: ours.caseSummary.id,
      });
      expect(item).toEqual({
        id: expect.any(String),
        title: 'Interview the witness again',
        description: 'Ask about the recruiter in Craiova.',
        status: 'OPEN',
        blockedReason: null,
        priority: 'HIGH',
        dueOn: dates.tomorrow,
        completedAt: null,
        taskForceId: taskForce.id,
        overdue: false,
        assigneeMember: { id: alice.member.id },
        assigneeAgency: null,
        meeting: null,
        decision: null,
        caseSummary: ours.caseSummary,
        createdBy: { id: coordinator.member.id },
      });
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      expect(row).toMatchObject({
        title: 'Interview the witness again',
        dueOn: dates.tomorrow,
        status: 'OPEN',
        priority: 'HIGH',
      });
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const history = await make.history(coordinator.token, item.id);
      expect(history).toEqual([
        {
          kind: 'created',
          before: null,
          after: { title: 'Interview the witness again', dueOn: dates.tomorrow, status: 'OPEN' },
          at: expect.any(String),
          actor: coordinator.member.id,
        },
      ]);
      // The assignee reads it too.
      expect((await make.get(alice.token, item.id)).id).toBe(item.id);
    });

    it('defaults the priority to NORMAL and the description to none', async () => {
      const item = await make.create(coordinator.token, forAlice());
      expect(item).toMatchObject({ priority: 'NORMAL', description: null, status: 'OPEN' });
    });

    it('lets a coordinator assign an item to an agency of the task force', async () => {
      const item = await make.create(coordinator.token, { ...forPolice(), priority: 'URGENT' });
      expect(item).toMatchObject({
        assigneeMember: null,
        assigneeAgency: { id: police.id },
        status: 'OPEN',
        priority: 'URGENT',
      });
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      expect(row.assigneeAgency?.id).toBe(police.id);
      expect(row.assigneeMember).toBeNull();
    });

    it('lets a member create an item for themselves and one for their own agency', async () => {
      const own = await make.create(carol.token, {
        taskForceId: taskForce.id,
        assignee: { memberId: carol.member.id },
      });
      expect(own).toMatchObject({
        assigneeMember: { id: carol.member.id },
        assigneeAgency: null,
        createdBy: { id: carol.member.id },
      });
      const agencys = await make.create(carol.token, { taskForceId: taskForce.id, assignee: { agencyId: ngo.id } });
      expect(agencys).toMatchObject({
        assigneeMember: null,
        assigneeAgency: { id: ngo.id },
        createdBy: { id: carol.member.id },
      });
      expect(await app.em().count(ActionItem, { id: { $in: [own.id, agencys.id] } })).toBe(2);
    });

    it('links an item to a meeting, to a decision (its meeting implied) and to a case summary', async () => {
      const fromMeeting = await make.create(coordinator.token, { ...forAlice(), meetingId: ours.meetingId });
      expect(fromMeeting).toMatchObject({ meeting: { id: ours.meetingId }, decision: null });
      const fromDecision = await make.create(coordinator.token, {
        ...forPolice(),
        decisionId: ours.decisionId,
        caseSummaryId: ours.caseSummary.id,
      });
      expect(fromDecision).toMatchObject({
        meeting: { id: ours.meetingId },
        decision: { id: ours.decisionId },
        caseSummary: { id: ours.caseSummary.id },
      });
      const both = await make.create(coordinator.token, {
        ...forAlice(),
        decisionId: ours.decisionId,
        meetingId: ours.meetingId,
      });
      expect(both).toMatchObject({ meeting: { id: ours.meetingId }, decision: { id: ours.decisionId } });
      // The meeting lists them.
      const { meeting } = await app.gql.data(
        'query($id: ID!) { meeting(id: $id) { actionItems { id } decisions { id actionItems { id } } } }',
        { id: ours.meetingId },
        { token: alice.token },
      );
      const ids = meeting.actionItems.map((i: { id: string }) => i.id);
      expect(ids).toEqual(expect.arrayContaining([fromMeeting.id, fromDecision.id, both.id]));
      expect(meeting.decisions[0].actionItems.map((i: { id: string }) => i.id).sort()).toEqual(
        [fromDecision.id, both.id].sort(),
      );
    });

    const forbiddenCreations: [string, () => Person, () => Record<string, unknown>][] = [
      [
        'a member assigning another member',
        () => alice,
        () => ({ taskForceId: taskForce.id, assignee: { memberId: carol.member.id } }),
      ],
      [
        'a member assigning a colleague of their own agency',
        () => alice,
        () => ({ taskForceId: taskForce.id, assignee: { memberId: bob.member.id } }),
      ],
      [
        'a member assigning another agency',
        () => alice,
        () => ({ taskForceId: taskForce.id, assignee: { agencyId: ngo.id } }),
      ],
      [
        'an observer creating one for themselves',
        () => observer,
        () => ({ taskForceId: taskForce.id, assignee: { memberId: observer.member.id } }),
      ],
      [
        'an observer creating one for their agency',
        () => observer,
        () => ({ taskForceId: taskForce.id, assignee: { agencyId: police.id } }),
      ],
      [
        'a platform administrator who is not a member',
        () => admin,
        () => ({ taskForceId: taskForce.id, assignee: { memberId: alice.member.id } }),
      ],
    ];

    it.each(forbiddenCreations)('refuses %s with FORBIDDEN and writes nothing', async (_, who, input) => {
      const before = await make.rowCounts();
      const result = await app.gql.request(
        CREATE_ITEM,
        { input: { title: 'Not allowed', dueOn: dates.tomorrow, ...input() } },
        { token: who().token },
      );
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(result.data).toBeNull();
      expect(await make.rowCounts()).toEqual(before);
    });

    const badCreations: [string, () => Record<string, unknown>, string][] = [
      [
        'an assignee who is not in the task force',
        () => ({ assignee: { memberId: outsider.member.id } }),
        'assignee.memberId',
      ],
      ['an assignee who does not exist', () => ({ assignee: { memberId: MISSING } }), 'assignee.memberId'],
      ['an assignee id that is not a UUID', () => ({ assignee: { memberId: 'alice' } }), 'assignee.memberId'],
      [
        'an agency with members only in another task force',
        () => ({ assignee: { agencyId: outsider.member.agency.id } }),
        'assignee.agencyId',
      ],
      ['an agency with nobody at all', () => ({ assignee: { agencyId: emptyAgency.id } }), 'assignee.agencyId'],
      [
        'both a member and an agency',
        () => ({ assignee: { memberId: alice.member.id, agencyId: police.id } }),
        'assignee',
      ],
      ['neither a member nor an agency', () => ({ assignee: {} }), 'assignee'],
      ['explicit nulls for both', () => ({ assignee: { memberId: null, agencyId: null } }), 'assignee'],
      ['a date that does not exist', () => ({ dueOn: '2026-02-30' }), 'dueOn'],
      ['a date in another format', () => ({ dueOn: '15/12/2026' }), 'dueOn'],
      ['a thirteenth month', () => ({ dueOn: '2026-13-01' }), 'dueOn'],
      ['an empty title', () => ({ title: '' }), 'title'],
      ['a title of spaces only', () => ({ title: '    ' }), 'title'],
      ['a title too long', () => ({ title: 't'.repeat(201) }), 'title'],
      ['a description too long', () => ({ description: 'd'.repeat(5001) }), 'description'],
      ['a meeting of another task force', () => ({ meetingId: theirs.meetingId }), 'meetingId'],
      ['a meeting that does not exist', () => ({ meetingId: MISSING }), 'meetingId'],
      ['a decision of another task force', () => ({ decisionId: theirs.decisionId }), 'decisionId'],
      [
        'a decision with the id of another meeting of the task force',
        () => ({ decisionId: ours.decisionId, meetingId: ours.secondMeetingId }),
        'meetingId',
      ],
      ['a case summary of another task force', () => ({ caseSummaryId: theirs.caseSummary.id }), 'caseSummaryId'],
      ['a case summary that does not exist', () => ({ caseSummaryId: MISSING }), 'caseSummaryId'],
      ['a task force id that is not a UUID', () => ({ taskForceId: 'BUC' }), 'taskForceId'],
    ];

    it.each(badCreations)(
      'refuses %s with BAD_USER_INPUT naming the field, writing nothing',
      async (_, input, field) => {
        const before = await make.rowCounts();
        const result = await app.gql.request(
          CREATE_ITEM,
          { input: { ...forAlice(), title: 'A valid title', dueOn: dates.tomorrow, ...input() } },
          { token: coordinator.token },
        );
        expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(result.errors?.[0].message).toMatch(/^[A-Z"a-z].{10,}[.)]$/);
        expect(JSON.stringify(result)).not.toMatch(/stack|sql|select |insert |at .*\.ts:/i);
        expect(result.data).toBeNull();
        expect(await make.rowCounts()).toEqual(before);
      },
    );

    it('refuses a priority that does not exist with BAD_USER_INPUT naming it, writing nothing', async () => {
      const before = await make.rowCounts();
      const result = await app.gql.request(
        CREATE_ITEM,
        { input: { ...forAlice(), title: 'Priority', dueOn: dates.tomorrow, priority: 'CRITICAL' } },
        { token: coordinator.token },
      );
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toContain('priority');
      expect(await make.rowCounts()).toEqual(before);
    });

    it('refuses a member’s own item with a bad date too, writing nothing', async () => {
      const before = await make.rowCounts();
      const error = await app.gql.error(
        CREATE_ITEM,
        {
          input: {
            taskForceId: taskForce.id,
            title: 'Mine',
            dueOn: '2026-02-30',
            assignee: { memberId: alice.member.id },
          },
        },
        { token: alice.token },
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dueOn' });
      expect(await make.rowCounts()).toEqual(before);
    });
  });

  describe('taking an item assigned to an agency', () => {
    it('lets exactly one of two colleagues taking it at the same moment have it', async () => {
      const item = await make.create(coordinator.token, forPolice());
      const results = await Promise.all(
        [bob, alice].map((who) => app.gql.request(TAKE_ITEM, { id: item.id }, { token: who.token })),
      );
      const codes = results.map((r) => r.errors?.[0].extensions?.code ?? 'OK').sort();
      expect(codes).toEqual(['CONFLICT', 'OK']);
      const winner = results.find((r) => !r.errors)!.data.takeActionItem.assigneeMember.id;
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).assigneeMember?.id).toBe(winner);
    });

    it('makes it the taker’s and in progress; another agency is FORBIDDEN; a second colleague gets CONFLICT', async () => {
      const item = await make.create(coordinator.token, forPolice());

      const stranger = await app.gql.request(TAKE_ITEM, { id: item.id }, { token: carol.token });
      expect(stranger.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(stranger.data).toBeNull();

      const { takeActionItem: taken } = await app.gql.data(TAKE_ITEM, { id: item.id }, { token: bob.token });
      expect(taken).toMatchObject({
        id: item.id,
        status: 'IN_PROGRESS',
        assigneeMember: { id: bob.member.id },
        assigneeAgency: { id: police.id },
      });
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      expect({ status: row.status, member: row.assigneeMember?.id }).toEqual({
        status: 'IN_PROGRESS',
        member: bob.member.id,
      });

      const before = await make.rowCounts();
      const second = await app.gql.request(TAKE_ITEM, { id: item.id }, { token: alice.token });
      expect(second.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(second.data).toBeNull();
      expect(await make.rowCounts()).toEqual(before);
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).assigneeMember?.id).toBe(bob.member.id);

      // Who took it, and the status change, are in the history, by the taker.
      const history = await make.history(alice.token, item.id);
      const byKind = Object.fromEntries(history.map((h) => [h.kind, h]));
      expect(history).toHaveLength(3);
      expect(byKind.assignee).toMatchObject({
        actor: bob.member.id,
        before: { memberId: null, agencyId: police.id },
        after: { memberId: bob.member.id, agencyId: police.id },
      });
      expect(byKind.status).toMatchObject({
        actor: bob.member.id,
        before: { status: 'OPEN' },
        after: { status: 'IN_PROGRESS' },
      });
    });

    it('lists the changes of one mutation in the order they were made, every time (take; edit of several fields)', async () => {
      // The entries of one mutation are written in the same millisecond: their order must not depend on their random ids.
      const takes: string[][] = [];
      const edits: string[][] = [];
      for (let i = 0; i < 8; i++) {
        const item = await make.create(coordinator.token, forPolice());
        await app.gql.data(TAKE_ITEM, { id: item.id }, { token: bob.token });
        takes.push((await make.history(bob.token, item.id)).map((h) => h.kind));
        await app.gql.data(
          EDIT_ITEM,
          {
            input: {
              id: item.id,
              title: `Renamed ${i}`,
              description: 'Now described',
              dueOn: dates.today,
              priority: 'HIGH',
            },
          },
          { token: coordinator.token },
        );
        edits.push((await make.history(bob.token, item.id)).slice(3).map((h) => h.kind));
      }
      expect(takes).toEqual(Array(8).fill(['created', 'assignee', 'status']));
      expect(edits).toEqual(Array(8).fill(['title', 'description', 'dueOn', 'priority']));
    });

    it('refuses an observer of the agency, and a colleague when the item was assigned to a member by name', async () => {
      const agencyItem = await make.create(coordinator.token, forPolice());
      expect((await app.gql.error(TAKE_ITEM, { id: agencyItem.id }, { token: observer.token })).extensions?.code).toBe(
        'FORBIDDEN',
      );
      const named = await make.create(coordinator.token, forAlice());
      expect((await app.gql.error(TAKE_ITEM, { id: named.id }, { token: bob.token })).extensions?.code).toBe(
        'FORBIDDEN',
      );
      const rows = await app.em().find(ActionItem, { id: { $in: [agencyItem.id, named.id] } });
      expect(rows.map((r) => [r.id, r.status, r.assigneeMember?.id ?? null]).sort()).toEqual(
        [
          [agencyItem.id, 'OPEN', null],
          [named.id, 'OPEN', alice.member.id],
        ].sort(),
      );
    });

    it('keeps the status of a blocked item that is taken', async () => {
      const item = await make.create(coordinator.token, forPolice());
      await make.setStatus(coordinator.token, item.id, 'BLOCKED', 'Waiting for the court order');
      const { takeActionItem } = await app.gql.data(TAKE_ITEM, { id: item.id }, { token: alice.token });
      expect(takeActionItem).toMatchObject({
        status: 'BLOCKED',
        blockedReason: 'Waiting for the court order',
        assigneeMember: { id: alice.member.id },
      });
    });
  });

  describe('status workflow', () => {
    const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, TRANSITIONS[from].includes(to)] as const));

    it.each(pairs)('%s → %s (allowed: %s) follows the TRANSITIONS table', async (from, to, allowed) => {
      const item = await make.create(coordinator.token, forAlice());
      await make.moveTo(coordinator.token, item.id, from);
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).status).toBe(from);
      const before = await make.rowCounts();
      const result = await app.gql.request(
        CHANGE_STATUS,
        { id: item.id, status: to, reason: 'Waiting for the prosecutor' },
        { token: coordinator.token },
      );
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      if (allowed) {
        expect(result.errors).toBeUndefined();
        expect(result.data.changeActionItemStatus.status).toBe(to);
        expect(row.status).toBe(to);
        const last = (await make.history(coordinator.token, item.id)).at(-1);
        expect(last).toMatchObject({
          kind: 'status',
          before: { status: from },
          after: { status: to },
          actor: coordinator.member.id,
        });
      } else {
        expect(result.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'status' });
        expect(result.data).toBeNull();
        expect(row.status).toBe(from);
        expect(await make.rowCounts()).toEqual(before);
      }
    });

    it('refuses BLOCKED without a reason (BAD_USER_INPUT naming reason), writing nothing', async () => {
      const item = await make.create(coordinator.token, forAlice());
      for (const reason of [undefined, null, '', '   ']) {
        const before = await make.rowCounts();
        const error = await app.gql.error(
          CHANGE_STATUS,
          { id: item.id, status: 'BLOCKED', reason },
          { token: alice.token },
        );
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
        expect(await make.rowCounts()).toEqual(before);
        expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).status).toBe('OPEN');
      }
    });

    it('refuses a status that does not exist with BAD_USER_INPUT, writing nothing', async () => {
      const item = await make.create(coordinator.token, forAlice());
      const before = await make.rowCounts();
      const result = await app.gql.request(
        CHANGE_STATUS,
        { id: item.id, status: 'ARCHIVED' },
        { token: coordinator.token },
      );
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toContain('status');
      expect(await make.rowCounts()).toEqual(before);
    });

    it('keeps the blocked reason while blocked and clears it when unblocked', async () => {
      const item = await make.create(coordinator.token, forAlice());
      const blocked = await make.setStatus(
        alice.token,
        item.id,
        'BLOCKED',
        '  The court has not issued the order yet  ',
      );
      expect(blocked).toMatchObject({ status: 'BLOCKED', blockedReason: 'The court has not issued the order yet' });
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).blockedReason).toBe(
        'The court has not issued the order yet',
      );
      const unblocked = await make.setStatus(alice.token, item.id, 'IN_PROGRESS');
      expect(unblocked).toMatchObject({ status: 'IN_PROGRESS', blockedReason: null });
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).blockedReason).toBeNull();
    });

    it('does not answer success to re-blocking with a new reason while keeping the old one', async () => {
      const item = await make.create(coordinator.token, forAlice());
      await make.setStatus(alice.token, item.id, 'BLOCKED', 'Waiting for the court');
      const result = await app.gql.request(
        CHANGE_STATUS,
        { id: item.id, status: 'BLOCKED', reason: 'Now waiting for the interpreter' },
        { token: alice.token },
      );
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      if (result.errors) {
        expect(result.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'status' });
        expect(row.blockedReason).toBe('Waiting for the court');
      } else {
        // Accepted: then the new reason must be what is stored and returned.
        expect(result.data.changeActionItemStatus.blockedReason).toBe('Now waiting for the interpreter');
        expect(row.blockedReason).toBe('Now waiting for the interpreter');
      }
    });

    it('sets completedAt on DONE, clears it on reopening, and keeps the whole history in order', async () => {
      const item = await make.create(coordinator.token, forAlice());
      await make.setStatus(alice.token, item.id, 'IN_PROGRESS');
      await make.setStatus(alice.token, item.id, 'BLOCKED', 'Waiting for the court');
      await make.setStatus(coordinator.token, item.id, 'IN_PROGRESS');
      const before = Date.now();
      const done = await make.setStatus(alice.token, item.id, 'DONE');
      const after = Date.now();
      expect(done.status).toBe('DONE');
      expect(new Date(done.completedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(new Date(done.completedAt).getTime()).toBeLessThanOrEqual(after + 1000);
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).completedAt).toBeInstanceOf(Date);

      const reopened = await make.setStatus(coordinator.token, item.id, 'OPEN');
      expect(reopened).toMatchObject({ status: 'OPEN', completedAt: null, blockedReason: null });

      const history = await make.history(bob.token, item.id);
      expect(history.map(({ kind, before, after, actor }) => ({ kind, before, after, actor }))).toEqual([
        {
          kind: 'created',
          before: null,
          after: { title: item.title, dueOn: item.dueOn, status: 'OPEN' },
          actor: coordinator.member.id,
        },
        { kind: 'status', before: { status: 'OPEN' }, after: { status: 'IN_PROGRESS' }, actor: alice.member.id },
        {
          kind: 'status',
          before: { status: 'IN_PROGRESS' },
          after: { status: 'BLOCKED', reason: 'Waiting for the court' },
          actor: alice.member.id,
        },
        {
          kind: 'status',
          before: { status: 'BLOCKED' },
          after: { status: 'IN_PROGRESS' },
          actor: coordinator.member.id,
        },
        { kind: 'status', before: { status: 'IN_PROGRESS' }, after: { status: 'DONE' }, actor: alice.member.id },
        { kind: 'status', before: { status: 'DONE' }, after: { status: 'OPEN' }, actor: coordinator.member.id },
      ]);
      const times = history.map((h) => new Date(h.at).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));

      // Reopened work can be finished again.
      await make.setStatus(alice.token, item.id, 'IN_PROGRESS');
      expect((await make.setStatus(alice.token, item.id, 'DONE')).completedAt).not.toBeNull();
      expect(await make.history(alice.token, item.id)).toHaveLength(8);
    });

    it('reopens a cancelled item, keeping its history', async () => {
      const item = await make.create(coordinator.token, forAlice());
      await make.setStatus(coordinator.token, item.id, 'CANCELLED');
      expect((await make.setStatus(coordinator.token, item.id, 'OPEN')).status).toBe('OPEN');
      expect((await make.history(alice.token, item.id)).map((h) => [h.kind, h.after])).toEqual([
        ['created', { title: item.title, dueOn: item.dueOn, status: 'OPEN' }],
        ['status', { status: 'CANCELLED' }],
        ['status', { status: 'OPEN' }],
      ]);
    });
  });

  describe('who may change the status', () => {
    it('on an item assigned to a member: the assignee and a coordinator; not a colleague, another member or an observer', async () => {
      const item = await make.create(coordinator.token, forAlice());
      expect((await make.setStatus(alice.token, item.id, 'IN_PROGRESS')).status).toBe('IN_PROGRESS');
      for (const [who, person] of [
        ['colleague', bob],
        ['other member', carol],
        ['observer', observer],
      ] as const) {
        const before = await make.rowCounts();
        const result = await app.gql.request(CHANGE_STATUS, { id: item.id, status: 'DONE' }, { token: person.token });
        expect({ who, code: result.errors?.[0].extensions?.code }).toEqual({ who, code: 'FORBIDDEN' });
        expect(await make.rowCounts()).toEqual(before);
      }
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).status).toBe('IN_PROGRESS');
      expect((await make.setStatus(coordinator.token, item.id, 'DONE')).status).toBe('DONE');
    });

    it('on an item assigned to an agency: anyone of the agency until someone takes it, then only the taker', async () => {
      const item = await make.create(coordinator.token, forPolice());
      expect((await make.setStatus(bob.token, item.id, 'IN_PROGRESS')).status).toBe('IN_PROGRESS');
      expect((await make.setStatus(alice.token, item.id, 'BLOCKED', 'Waiting for the labour inspectors')).status).toBe(
        'BLOCKED',
      );
      expect(
        (await app.gql.error(CHANGE_STATUS, { id: item.id, status: 'IN_PROGRESS' }, { token: carol.token })).extensions
          ?.code,
      ).toBe('FORBIDDEN');
      await app.gql.data(TAKE_ITEM, { id: item.id }, { token: bob.token });
      expect(
        (await app.gql.error(CHANGE_STATUS, { id: item.id, status: 'IN_PROGRESS' }, { token: alice.token })).extensions
          ?.code,
      ).toBe('FORBIDDEN');
      expect((await make.setStatus(bob.token, item.id, 'IN_PROGRESS')).status).toBe('IN_PROGRESS');
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).status).toBe('IN_PROGRESS');
    });

    it('loses the right when a coordinator reassigns the item', async () => {
      const item = await make.create(coordinator.token, forAlice());
      await app.gql.data(
        EDIT_ITEM,
        { input: { id: item.id, assignee: { memberId: carol.member.id } } },
        { token: coordinator.token },
      );
      expect(
        (await app.gql.error(CHANGE_STATUS, { id: item.id, status: 'IN_PROGRESS' }, { token: alice.token })).extensions
          ?.code,
      ).toBe('FORBIDDEN');
      expect((await make.setStatus(carol.token, item.id, 'IN_PROGRESS')).status).toBe('IN_PROGRESS');
    });
  });

  describe('editing: the policy on every field', () => {
    type Field = 'title' | 'description' | 'dueOn' | 'priority' | 'caseSummaryId' | 'assignee';
    const fields: [Field, string, () => unknown, (item: any) => unknown, () => unknown][] = [
      // field, history kind, new value, read back from the API, expected read-back
      ['title', 'title', () => 'Call the shelter', (i) => i.title, () => 'Call the shelter'],
      [
        'description',
        'description',
        () => 'Ask for the social inquiry report.',
        (i) => i.description,
        () => 'Ask for the social inquiry report.',
      ],
      ['dueOn', 'dueOn', () => addDays(dates.today, 10), (i) => i.dueOn, () => addDays(dates.today, 10)],
      ['priority', 'priority', () => 'URGENT', (i) => i.priority, () => 'URGENT'],
      [
        'caseSummaryId',
        'caseSummary',
        () => ours.caseSummary.id,
        (i) => i.caseSummary?.id ?? null,
        () => ours.caseSummary.id,
      ],
      [
        'assignee',
        'assignee',
        () => ({ memberId: carol.member.id }),
        (i) => i.assigneeMember?.id ?? null,
        () => carol.member.id,
      ],
    ];
    const editors: [string, () => Person, (field: Field) => boolean][] = [
      ['the coordinator', () => coordinator, () => true],
      ['the assignee', () => alice, (field) => field !== 'assignee'],
      ['a colleague of the assignee', () => bob, () => false],
      ['another member', () => carol, () => false],
      ['an observer', () => observer, () => false],
    ];
    const cases = fields.flatMap((field) => editors.map((editor) => [field[0], editor[0], field, editor] as const));

    it.each(cases)('%s edited by %s', async (name, _, [, kind, value, read, expected], [, who, allowed]) => {
      const item = await make.create(coordinator.token, { ...forAlice(), description: 'Original', priority: 'LOW' });
      const before = await make.rowCounts();
      const result = await app.gql.request(
        EDIT_ITEM,
        { input: { id: item.id, [name]: value() } },
        { token: who().token },
      );
      const now = await make.get(coordinator.token, item.id);
      if (allowed(name)) {
        expect(result.errors).toBeUndefined();
        expect(read(result.data.editActionItem)).toEqual(expected());
        expect(read(now)).toEqual(expected());
        const last = (await make.history(coordinator.token, item.id)).at(-1)!;
        expect(last).toMatchObject({ kind, actor: who().member.id });
        expect(last.before).not.toEqual(last.after);
      } else {
        expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(result.data).toBeNull();
        expect(await make.rowCounts()).toEqual(before);
        expect(read(now)).toEqual(read(item));
      }
    });

    it('records before and after of each change, and nothing for a value that did not change', async () => {
      const item = await make.create(coordinator.token, {
        ...forAlice(),
        title: 'Prepare the file',
        description: 'First draft',
        priority: 'LOW',
      });
      await app.gql.data(
        EDIT_ITEM,
        {
          input: {
            id: item.id,
            title: 'Prepare the file',
            description: null,
            dueOn: dates.today,
            priority: 'HIGH',
            caseSummaryId: ours.caseSummary.id,
          },
        },
        { token: alice.token },
      );
      await app.gql.data(
        EDIT_ITEM,
        { input: { id: item.id, assignee: { agencyId: ngo.id } } },
        { token: coordinator.token },
      );
      await app.gql.data(EDIT_ITEM, { input: { id: item.id, caseSummaryId: null } }, { token: coordinator.token });
      const history = (await make.history(coordinator.token, item.id)).map(({ kind, before, after, actor }) => ({
        kind,
        before,
        after,
        actor,
      }));
      expect(history).toHaveLength(7);
      expect(history[0]).toEqual({
        kind: 'created',
        before: null,
        after: { title: 'Prepare the file', dueOn: item.dueOn, status: 'OPEN' },
        actor: coordinator.member.id,
      });
      // The four changes of alice's one edit (their order within the edit is checked in the taking block); the unchanged title left no entry.
      expect(history.slice(1, 5)).toEqual(
        expect.arrayContaining([
          { kind: 'description', before: 'First draft', after: null, actor: alice.member.id },
          { kind: 'dueOn', before: item.dueOn, after: dates.today, actor: alice.member.id },
          { kind: 'priority', before: 'LOW', after: 'HIGH', actor: alice.member.id },
          { kind: 'caseSummary', before: null, after: ours.caseSummary.id, actor: alice.member.id },
        ]),
      );
      expect(history.slice(5)).toEqual([
        {
          kind: 'assignee',
          before: { memberId: alice.member.id, agencyId: null },
          after: { memberId: null, agencyId: ngo.id },
          actor: coordinator.member.id,
        },
        { kind: 'caseSummary', before: ours.caseSummary.id, after: null, actor: coordinator.member.id },
      ]);
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      expect({
        description: row.description,
        dueOn: row.dueOn,
        priority: row.priority,
        caseSummary: row.caseSummary,
        agency: row.assigneeAgency?.id,
        member: row.assigneeMember,
      }).toEqual({
        description: null,
        dueOn: dates.today,
        priority: 'HIGH',
        caseSummary: null,
        agency: ngo.id,
        member: null,
      });
    });

    const badEdits: [string, () => Record<string, unknown>, string][] = [
      ['a date that does not exist', () => ({ dueOn: '2026-02-30' }), 'dueOn'],
      ['a date in another format', () => ({ dueOn: '15/12/2026' }), 'dueOn'],
      ['an empty title', () => ({ title: '' }), 'title'],
      ['a title of spaces only', () => ({ title: '   ' }), 'title'],
      ['a case summary of another task force', () => ({ caseSummaryId: theirs.caseSummary.id }), 'caseSummaryId'],
      [
        'an assignee outside the task force',
        () => ({ assignee: { memberId: outsider.member.id } }),
        'assignee.memberId',
      ],
      [
        'an agency with nobody in the task force',
        () => ({ assignee: { agencyId: emptyAgency.id } }),
        'assignee.agencyId',
      ],
      ['both assignees', () => ({ assignee: { memberId: alice.member.id, agencyId: police.id } }), 'assignee'],
      [
        'a valid title with a bad date (nothing of it saved)',
        () => ({ title: 'Changed', dueOn: '2026-02-31' }),
        'dueOn',
      ],
      [
        'a valid title with a bad case summary (nothing of it saved)',
        () => ({ title: 'Changed', caseSummaryId: theirs.caseSummary.id }),
        'caseSummaryId',
      ],
    ];

    it.each(badEdits)('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_, edits, field) => {
      const item = await make.create(coordinator.token, { ...forAlice(), title: 'Unchanged' });
      const before = await make.rowCounts();
      const error = await app.gql.error(
        EDIT_ITEM,
        { input: { id: item.id, ...edits() } },
        { token: coordinator.token },
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await make.rowCounts()).toEqual(before);
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      expect({
        title: row.title,
        dueOn: row.dueOn,
        member: row.assigneeMember?.id,
        caseSummary: row.caseSummary,
      }).toEqual({
        title: 'Unchanged',
        dueOn: item.dueOn,
        member: alice.member.id,
        caseSummary: null,
      });
    });
  });

  describe('comments', () => {
    it('shows a member’s comment with its author, oldest first, and records it in the history', async () => {
      const item = await make.create(coordinator.token, forAlice());
      const { commentOnActionItem: first } = await app.gql.data(
        COMMENT_ITEM,
        { id: item.id, text: 'Called the shelter; they will confirm on Monday.' },
        { token: alice.token },
      );
      expect(first).toMatchObject({
        id: expect.any(String),
        text: 'Called the shelter; they will confirm on Monday.',
        author: { id: alice.member.id, displayName: alice.member.displayName },
      });
      const { commentOnActionItem: second } = await app.gql.data(
        COMMENT_ITEM,
        { id: item.id, text: 'Thank you, noted for the meeting.' },
        { token: coordinator.token },
      );
      const read = await make.get(observer.token, item.id);
      expect(read.comments).toEqual([
        { id: first.id, text: first.text, createdAt: first.createdAt, author: { id: alice.member.id } },
        { id: second.id, text: second.text, createdAt: second.createdAt, author: { id: coordinator.member.id } },
      ]);
      const history = await make.history(observer.token, item.id);
      expect(history.filter((h) => h.kind === 'commented').map(({ actor, after }) => ({ actor, after }))).toEqual([
        { actor: alice.member.id, after: { commentId: first.id } },
        { actor: coordinator.member.id, after: { commentId: second.id } },
      ]);
    });

    it('lets an agency colleague comment on an item assigned to the agency', async () => {
      const item = await make.create(coordinator.token, forPolice());
      const { commentOnActionItem } = await app.gql.data(
        COMMENT_ITEM,
        { id: item.id, text: 'I can take this next week.' },
        { token: bob.token },
      );
      expect(commentOnActionItem.author.id).toBe(bob.member.id);
    });

    it('refuses an observer with FORBIDDEN, writing nothing', async () => {
      const item = await make.create(coordinator.token, forPolice());
      const before = await make.rowCounts();
      const result = await app.gql.request(
        COMMENT_ITEM,
        { id: item.id, text: 'Observing.' },
        { token: observer.token },
      );
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(result.data).toBeNull();
      expect(await make.rowCounts()).toEqual(before);
    });

    it('lets any member comment on any item of the task force (offering help is the point), but not change it', async () => {
      const item = await make.create(coordinator.token, forAlice());
      const result = await app.gql.data(
        COMMENT_ITEM,
        { id: item.id, text: 'We can lend an interpreter.' },
        { token: carol.token },
      );
      expect(result.commentOnActionItem).toMatchObject({ text: 'We can lend an interpreter.' });
      expect(
        (await app.gql.error(CHANGE_STATUS, { id: item.id, status: 'IN_PROGRESS' }, { token: carol.token })).extensions
          ?.code,
      ).toBe('FORBIDDEN');
    });

    it('refuses an empty comment with BAD_USER_INPUT naming text', async () => {
      const item = await make.create(coordinator.token, forAlice());
      const before = await make.rowCounts();
      expect(
        (await app.gql.error(COMMENT_ITEM, { id: item.id, text: '' }, { token: alice.token })).extensions,
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
      expect(await make.rowCounts()).toEqual(before);
    });
  });

  describe('lists', () => {
    type Key = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l';
    type Spec = {
      key: Key;
      to: 'dana' | 'eve' | 'frank' | 'police' | 'ngo';
      dueOn: string;
      status: string;
      caseSummary?: true;
      meeting?: true;
    };
    let listForce: TaskForce;
    let boss: Person;
    let dana: Person; // police2
    let eve: Person; // police2
    let frank: Person; // ngo2
    let watcher: Person; // observer
    let police2: Agency;
    let ngo2: Agency;
    let meetingId: string;
    let caseSummaryId: string;
    const ids = new Map<string, Spec & { id: string }>();

    // Several share a due date (yesterday, today); some are done or cancelled; the week's edges.
    const specs: Spec[] = [
      { key: 'a', to: 'dana', dueOn: dates.yesterday, status: 'OPEN' },
      { key: 'b', to: 'dana', dueOn: dates.yesterday, status: 'DONE' },
      { key: 'c', to: 'police', dueOn: dates.today, status: 'OPEN' },
      { key: 'd', to: 'frank', dueOn: dates.monday, status: 'IN_PROGRESS', caseSummary: true },
      { key: 'e', to: 'police', dueOn: dates.sunday, status: 'BLOCKED', meeting: true },
      { key: 'f', to: 'eve', dueOn: addDays(dates.sunday, 1), status: 'OPEN', caseSummary: true },
      { key: 'g', to: 'frank', dueOn: addDays(dates.monday, -1), status: 'CANCELLED' },
      { key: 'h', to: 'dana', dueOn: dates.today, status: 'OPEN', meeting: true },
      { key: 'i', to: 'frank', dueOn: dates.today, status: 'DONE' },
      { key: 'j', to: 'ngo', dueOn: dates.yesterday, status: 'IN_PROGRESS' },
      { key: 'k', to: 'eve', dueOn: addDays(dates.today, -3), status: 'BLOCKED' },
      { key: 'l', to: 'frank', dueOn: addDays(dates.monday, -1), status: 'OPEN' },
    ];
    const isOverdue = (s: Spec) => ACTIVE.includes(s.status) && s.dueOn < dates.today;
    const isThisWeek = (s: Spec) => ACTIVE.includes(s.status) && s.dueOn >= dates.monday && s.dueOn <= dates.sunday;

    beforeAll(async () => {
      listForce = await make.identity.taskForce();
      police2 = await make.identity.agency(AgencyKind.POLICE);
      ngo2 = await make.identity.agency(AgencyKind.SOCIAL_SERVICES);
      boss = await make.person(listForce, TaskForceRole.COORDINATOR, undefined, AgencyKind.NATIONAL_AGENCY);
      dana = await make.person(listForce, TaskForceRole.MEMBER, police2);
      eve = await make.person(listForce, TaskForceRole.MEMBER, police2);
      frank = await make.person(listForce, TaskForceRole.MEMBER, ngo2);
      watcher = await make.person(listForce, TaskForceRole.OBSERVER, undefined, AgencyKind.INTERNATIONAL_ORGANISATION);
      meetingId = (await make.meetingWithDecision(boss.token, listForce.id)).meetingId;
      caseSummaryId = (await make.caseSummary(boss.token, listForce.id)).id;
      const assignee = (to: Spec['to']) =>
        ({
          dana: { memberId: dana.member.id },
          eve: { memberId: eve.member.id },
          frank: { memberId: frank.member.id },
          police: { agencyId: police2.id },
          ngo: { agencyId: ngo2.id },
        })[to];
      for (const spec of specs) {
        const item = await make.create(boss.token, {
          taskForceId: listForce.id,
          title: `List ${spec.key}`,
          dueOn: spec.dueOn,
          assignee: assignee(spec.to),
          ...(spec.caseSummary && { caseSummaryId }),
          ...(spec.meeting && { meetingId }),
        });
        await make.moveTo(boss.token, item.id, spec.status);
        ids.set(item.id, { ...spec, id: item.id });
      }
    });

    const expected = (keep: (s: Spec) => boolean) => byDueThenId([...ids.values()].filter(keep)).map((s) => s.key);
    const list = async (token: string, filter: Record<string, unknown> | undefined, first = 50, after?: string) => {
      const { actionItems } = await app.gql.data(
        LIST_ITEMS,
        { taskForceId: listForce.id, filter, first, after },
        { token },
      );
      return actionItems as {
        nodes: { id: string; dueOn: string; overdue: boolean; status: string }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    };

    const listCases: [string, () => Person, () => Record<string, unknown> | undefined, (s: Spec) => boolean][] = [
      ['the whole task force (default scope)', () => boss, () => undefined, () => true],
      ['the whole task force, for an observer', () => watcher, () => ({ scope: 'TASK_FORCE' }), () => true],
      ['MINE', () => dana, () => ({ scope: 'MINE' }), (s) => s.to === 'dana'],
      ['MINE of another member', () => frank, () => ({ scope: 'MINE' }), (s) => s.to === 'frank'],
      ['MY_AGENCY', () => eve, () => ({ scope: 'MY_AGENCY' }), (s) => s.to === 'police'],
      ['MY_AGENCY of another agency', () => frank, () => ({ scope: 'MY_AGENCY' }), (s) => s.to === 'ngo'],
      ['overdue', () => boss, () => ({ overdue: true }), isOverdue],
      ['due this week', () => boss, () => ({ dueThisWeek: true }), isThisWeek],
      [
        'statuses BLOCKED and DONE',
        () => boss,
        () => ({ statuses: ['BLOCKED', 'DONE'] }),
        (s) => ['BLOCKED', 'DONE'].includes(s.status),
      ],
      ['status OPEN', () => watcher, () => ({ statuses: ['OPEN'] }), (s) => s.status === 'OPEN'],
      ['assignee member', () => boss, () => ({ assigneeMemberId: frank.member.id }), (s) => s.to === 'frank'],
      ['assignee agency', () => boss, () => ({ assigneeAgencyId: police2.id }), (s) => s.to === 'police'],
      ['case summary', () => boss, () => ({ caseSummaryId }), (s) => !!s.caseSummary],
      ['meeting', () => boss, () => ({ meetingId }), (s) => !!s.meeting],
      [
        'MINE and overdue',
        () => dana,
        () => ({ scope: 'MINE', overdue: true }),
        (s) => s.to === 'dana' && isOverdue(s),
      ],
      [
        'meeting and status OPEN',
        () => boss,
        () => ({ meetingId, statuses: ['OPEN'] }),
        (s) => !!s.meeting && s.status === 'OPEN',
      ],
    ];

    it.each(listCases)('%s: exactly the matching items, by due date then id', async (_, who, filter, keep) => {
      const page = await list(who().token, filter());
      expect(page.nodes.map((n) => ids.get(n.id)?.key ?? n.id)).toEqual(expected(keep));
      expect(page.pageInfo.hasNextPage).toBe(false);
      for (const node of page.nodes)
        expect({ key: ids.get(node.id)!.key, overdue: node.overdue }).toEqual({
          key: ids.get(node.id)!.key,
          overdue: isOverdue(ids.get(node.id)!),
        });
    });

    it('marks overdue what was due yesterday and is not done, and not what was done yesterday or is due today', async () => {
      const page = await list(boss.token, undefined);
      const overdue = Object.fromEntries(page.nodes.map((n) => [ids.get(n.id)!.key, n.overdue]));
      expect({
        a: overdue.a,
        b: overdue.b,
        c: overdue.c,
        h: overdue.h,
        j: overdue.j,
        k: overdue.k,
        l: overdue.l,
      }).toEqual({ a: true, b: false, c: false, h: false, j: true, k: true, l: true });
      const overdueKeys = (await list(boss.token, { overdue: true })).nodes.map((n) => ids.get(n.id)!.key);
      expect(overdueKeys).toEqual(expect.arrayContaining(['a', 'j', 'k', 'l']));
      expect(overdueKeys).not.toContain('b'); // done yesterday
      expect(overdueKeys).not.toContain('c'); // due today
      const week = (await list(boss.token, { dueThisWeek: true })).nodes.map((n) => ids.get(n.id)!.key);
      expect(week).toEqual(expect.arrayContaining(['c', 'd', 'e', 'h']));
      expect(week).not.toContain('f'); // next Monday
      expect(week).not.toContain('i'); // done
      expect(week).not.toContain('g'); // last Sunday, and cancelled
      expect(week).not.toContain('l'); // last Sunday, still open
    });

    it.each([1, 2, 3])('pages with first: %i: every item exactly once, in (dueOn, id) order', async (first) => {
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await list(boss.token, undefined, first, after);
        pages += 1;
        expect(page.nodes.length).toBeLessThanOrEqual(first);
        seen.push(...page.nodes.map((n) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        expect(page.pageInfo.endCursor).toEqual(expect.any(String));
        after = page.pageInfo.endCursor!;
        expect(pages).toBeLessThan(20);
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.map((id) => ids.get(id)!.key)).toEqual(expected(() => true));
      expect(pages).toBe(Math.ceil(specs.length / first));
    });

    it('pages a filtered list with the same cursors', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await list(dana.token, { scope: 'MINE' }, 1, after);
        seen.push(...page.nodes.map((n) => ids.get(n.id)!.key));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : undefined;
      } while (after);
      expect(seen).toEqual(expected((s) => s.to === 'dana'));
    });

    it('sees taken agency items in MINE of the taker and still in MY_AGENCY', async () => {
      const extraForce = await make.identity.taskForce();
      const lead = await make.person(extraForce, TaskForceRole.COORDINATOR);
      const agency = await make.identity.agency(AgencyKind.PROSECUTION);
      const one = await make.person(extraForce, TaskForceRole.MEMBER, agency);
      const two = await make.person(extraForce, TaskForceRole.MEMBER, agency);
      const item = await make.create(lead.token, { taskForceId: extraForce.id, assignee: { agencyId: agency.id } });
      await app.gql.data(TAKE_ITEM, { id: item.id }, { token: one.token });
      const mine = await app.gql.data(
        LIST_ITEMS,
        { taskForceId: extraForce.id, filter: { scope: 'MINE' } },
        { token: one.token },
      );
      expect(mine.actionItems.nodes.map((n: { id: string }) => n.id)).toEqual([item.id]);
      const agencys = await app.gql.data(
        LIST_ITEMS,
        { taskForceId: extraForce.id, filter: { scope: 'MY_AGENCY' } },
        { token: two.token },
      );
      expect(agencys.actionItems.nodes.map((n: { id: string }) => n.id)).toEqual([item.id]);
      const notMine = await app.gql.data(
        LIST_ITEMS,
        { taskForceId: extraForce.id, filter: { scope: 'MINE' } },
        { token: two.token },
      );
      expect(notMine.actionItems.nodes).toEqual([]);
    });

    const badLists: [string, () => Record<string, unknown>, string][] = [
      ['first: 0', () => ({ first: 0 }), 'first'],
      ['first: 201', () => ({ first: 201 }), 'first'],
      ['a cursor the server did not issue', () => ({ after: 'not-a-cursor' }), 'after'],
      [
        'a cursor of another list kind',
        () => ({ after: Buffer.from(`meeting:2026-01-01T00:00:00.000Z|${MISSING}`).toString('base64url') }),
        'after',
      ],
      [
        'an assignee filter that is not a UUID',
        () => ({ filter: { assigneeMemberId: 'dana' } }),
        'filter.assigneeMemberId',
      ],
      ['a task force id that is not a UUID', () => ({ taskForceId: 'LIST' }), 'taskForceId'],
    ];

    it.each(badLists)('refuses %s with BAD_USER_INPUT naming the field', async (_, variables, field) => {
      const error = await app.gql.error(
        LIST_ITEMS,
        { taskForceId: listForce.id, ...variables() },
        { token: boss.token },
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });

    it('refuses a platform administrator who is not a member with FORBIDDEN', async () => {
      const result = await app.gql.request(LIST_ITEMS, { taskForceId: listForce.id }, { token: admin.token });
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(result.data).toBeNull();
      const item = [...ids.values()][0];
      const read = await app.gql.request(GET_ITEM, { id: item.id }, { token: admin.token });
      expect(['FORBIDDEN', 'NOT_FOUND']).toContain(read.errors?.[0].extensions?.code);
      expect(read.data).toBeNull();
    });
  });

  describe('isolation between task forces', () => {
    let item: { id: string; title: string; dueOn: string };
    let agencyItem: { id: string; title: string };

    beforeAll(async () => {
      item = await make.create(coordinator.token, {
        ...forAlice(),
        title: 'Secret operation Orion',
        caseSummaryId: ours.caseSummary.id,
        meetingId: ours.meetingId,
      });
      agencyItem = await make.create(coordinator.token, { ...forPolice(), title: 'Secret operation Lyra' });
      await app.gql.data(COMMENT_ITEM, { id: item.id, text: 'Secret comment Vega' }, { token: alice.token });
    });

    const attempts: [string, () => Person, string, () => Record<string, unknown>][] = [
      ['read it', () => outsider, GET_ITEM, () => ({ id: item.id })],
      ['edit it', () => outsider, EDIT_ITEM, () => ({ input: { id: item.id, title: 'Hijacked' } })],
      [
        'reassign it',
        () => outsider,
        EDIT_ITEM,
        () => ({ input: { id: item.id, assignee: { memberId: outsider.member.id } } }),
      ],
      ['change its status', () => outsider, CHANGE_STATUS, () => ({ id: item.id, status: 'CANCELLED' })],
      ['block it', () => outsider, CHANGE_STATUS, () => ({ id: item.id, status: 'BLOCKED', reason: 'Because' })],
      ['take it', () => outsider, TAKE_ITEM, () => ({ id: item.id })],
      ['comment on it', () => outsider, COMMENT_ITEM, () => ({ id: item.id, text: 'Hello' })],
      ['list the task force', () => outsider, LIST_ITEMS, () => ({ taskForceId: taskForce.id })],
      [
        'list MINE in the task force',
        () => outsider,
        LIST_ITEMS,
        () => ({ taskForceId: taskForce.id, filter: { scope: 'MINE' } }),
      ],
      [
        'create an item in the task force',
        () => outsider,
        CREATE_ITEM,
        () => ({
          input: {
            taskForceId: taskForce.id,
            title: 'Intrusion',
            dueOn: dates.today,
            assignee: { memberId: outsider.member.id },
          },
        }),
      ],
      [
        'take an item of their own agency (same agency, other task force)',
        () => outsiderColleague,
        TAKE_ITEM,
        () => ({ id: agencyItem.id }),
      ],
      [
        'move an item of their own agency (same agency, other task force)',
        () => outsiderColleague,
        CHANGE_STATUS,
        () => ({ id: agencyItem.id, status: 'IN_PROGRESS' }),
      ],
      [
        'comment on an item of their own agency',
        () => outsiderColleague,
        COMMENT_ITEM,
        () => ({ id: agencyItem.id, text: 'Hello' }),
      ],
      ['read an item of their own agency', () => outsiderColleague, GET_ITEM, () => ({ id: agencyItem.id })],
      [
        'list MY_AGENCY in the task force',
        () => outsiderColleague,
        LIST_ITEMS,
        () => ({ taskForceId: taskForce.id, filter: { scope: 'MY_AGENCY' } }),
      ],
    ];

    it.each(attempts)(
      'a member of another task force cannot %s: NOT_FOUND, nothing leaks, nothing written',
      async (_, who, query, variables) => {
        const before = await make.rowCounts();
        const result = await app.gql.request(query, variables(), { token: who().token });
        expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
        expect(result.data).toBeNull();
        const body = JSON.stringify(result);
        for (const secret of ['Orion', 'Lyra', 'Vega', taskForce.code, alice.member.id, ours.caseSummary.caseCode])
          expect(body).not.toContain(secret);
        expect(await make.rowCounts()).toEqual(before);
        const rows = await app.em().find(ActionItem, { id: { $in: [item.id, agencyItem.id] } });
        expect(rows.map((r) => [r.title, r.status, r.assigneeMember?.id ?? null]).sort()).toEqual(
          [
            ['Secret operation Lyra', 'OPEN', null],
            ['Secret operation Orion', 'OPEN', alice.member.id],
          ].sort(),
        );
      },
    );

    it('cannot tell an item that exists from one that does not', async () => {
      const existing = await app.gql.error(GET_ITEM, { id: item.id }, { token: outsider.token });
      const missing = await app.gql.error(GET_ITEM, { id: MISSING }, { token: outsider.token });
      expect(existing).toEqual(missing);
      const existingTaskForce = await app.gql.error(
        LIST_ITEMS,
        { taskForceId: taskForce.id },
        { token: outsider.token },
      );
      const missingTaskForce = await app.gql.error(LIST_ITEMS, { taskForceId: MISSING }, { token: outsider.token });
      expect(existingTaskForce).toEqual(missingTaskForce);
    });

    it('answers NOT_FOUND to a member of the task force for an item that does not exist, on every operation', async () => {
      const operations: [string, Record<string, unknown>][] = [
        [GET_ITEM, { id: MISSING }],
        [EDIT_ITEM, { input: { id: MISSING, title: 'x' } }],
        [CHANGE_STATUS, { id: MISSING, status: 'DONE' }],
        [TAKE_ITEM, { id: MISSING }],
        [COMMENT_ITEM, { id: MISSING, text: 'x' }],
      ];
      for (const [query, variables] of operations) {
        const result = await app.gql.request(query, variables, { token: coordinator.token });
        expect({ query, code: result.errors?.[0].extensions?.code }).toEqual({ query, code: 'NOT_FOUND' });
      }
    });

    it('filters of their own task force do not reach ours, whatever ids they pass', async () => {
      for (const filter of [
        {},
        { caseSummaryId: ours.caseSummary.id },
        { meetingId: ours.meetingId },
        { assigneeMemberId: alice.member.id },
        { assigneeAgencyId: police.id },
      ]) {
        const { actionItems } = await app.gql.data(
          LIST_ITEMS,
          { taskForceId: otherTaskForce.id, filter },
          { token: outsiderColleague.token },
        );
        expect(JSON.stringify(actionItems)).not.toMatch(/Orion|Lyra/);
      }
      // And their agency colleague's "my agency" shows nothing of ours.
      const mine = await app.gql.data(
        LIST_ITEMS,
        { taskForceId: otherTaskForce.id, filter: { scope: 'MY_AGENCY' } },
        { token: outsiderColleague.token },
      );
      expect(mine.actionItems.nodes).toEqual([]);
    });
  });

  describe('identifier screen on free text', () => {
    const validCnp = cnp('196052346001');
    const notACnp = invalidCnp('196052346001');

    const refuses = async (
      query: string,
      variables: Record<string, unknown>,
      token: string,
      field: string,
      identifier: string,
      secret: string,
    ) => {
      const before = await make.rowCounts();
      const result = await app.gql.request(query, variables, { token });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, identifier });
      expect(result.data).toBeNull();
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(await make.rowCounts()).toEqual(before);
      return result.errors![0];
    };

    it('refuses a title with a valid CNP, naming title and CNP, without echoing the digits', async () => {
      const error = await refuses(
        CREATE_ITEM,
        { input: { ...forAlice(), title: `Verify ${validCnp} at the office`, dueOn: dates.tomorrow } },
        coordinator.token,
        'title',
        'CNP',
        validCnp,
      );
      expect(error.message).not.toMatch(/\d{6,}/);
      expect(error.message).not.toContain('Verify');
    });

    it('refuses a description with an IBAN, naming description and IBAN', async () => {
      await refuses(
        CREATE_ITEM,
        {
          input: {
            ...forAlice(),
            title: 'Payment trail',
            description: 'Transfers to RO49AAAA1B31007593840000 each month',
            dueOn: dates.tomorrow,
          },
        },
        alice.token,
        'description',
        'IBAN',
        'RO49AAAA1B31007593840000',
      );
    });

    it('screens edits too: an IBAN in groups of four in the description, a passport number in the title', async () => {
      const item = await make.create(coordinator.token, {
        ...forAlice(),
        title: 'Clean title',
        description: 'Clean description',
      });
      await refuses(
        EDIT_ITEM,
        { input: { id: item.id, description: 'Account RO49 AAAA 1B31 0075 9384 0000' } },
        alice.token,
        'description',
        'IBAN',
        '1B31',
      );
      await refuses(
        EDIT_ITEM,
        { input: { id: item.id, title: 'Check passport AB1234567' } },
        coordinator.token,
        'title',
        'PASSPORT',
        'AB1234567',
      );
      const row = await app.em().findOneOrFail(ActionItem, { id: item.id });
      expect({ title: row.title, description: row.description }).toEqual({
        title: 'Clean title',
        description: 'Clean description',
      });
    });

    it('refuses a comment with a Romanian mobile number, naming text and PHONE', async () => {
      const item = await make.create(coordinator.token, forAlice());
      await refuses(
        COMMENT_ITEM,
        { id: item.id, text: 'Her brother answers at 0722 123 456 after six' },
        alice.token,
        'text',
        'PHONE',
        '123 456',
      );
      await refuses(COMMENT_ITEM, { id: item.id, text: 'Or +40 733 987 654' }, alice.token, 'text', 'PHONE', '987 654');
    });

    it('refuses a blocked reason with an e-mail address, naming reason and EMAIL, and leaves the status alone', async () => {
      const item = await make.create(coordinator.token, forAlice());
      await refuses(
        CHANGE_STATUS,
        { id: item.id, status: 'BLOCKED', reason: 'Waiting for ion.popescu@example.com to answer' },
        alice.token,
        'reason',
        'EMAIL',
        'ion.popescu',
      );
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).status).toBe('OPEN');
    });

    it('accepts a 13-digit number whose check digit is wrong (not a CNP), and stores it as written', async () => {
      expect(notACnp).not.toBe(validCnp);
      const description = `Dosar penal nr. ${notACnp} la parchet`;
      const item = await make.create(coordinator.token, {
        ...forAlice(),
        title: 'Follow the criminal file',
        description,
      });
      expect(item.description).toBe(description);
      expect((await app.em().findOneOrFail(ActionItem, { id: item.id })).description).toBe(description);
    });
  });
});
