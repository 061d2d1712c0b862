import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { ActionItem, ActionItemsService, ActionItemStatus, type Assignee, TRANSITIONS } from '@hub/action-items';
import { type Agency } from '@hub/identity';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

const STATUSES = Object.values(ActionItemStatus);
const DUE = '2030-03-15';

/** The action-item rules, called on ActionItemsService directly: the workflow, and who may assign, take and move. */
describe('ActionItemsService', () => {
  let app: ServiceApp;
  let items: ActionItemsService;
  let taskForce: TaskForce;
  let police: Agency;
  let coordinator: Actor;
  /** Two members of the same police agency. */
  let officer: Actor;
  let colleague: Actor;
  let ngo: Actor;
  let observer: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    app = await startServiceApp();
    items = app.get(ActionItemsService);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    police = await identity.agency(AgencyKind.POLICE);
    const person = async (tf: TaskForce, role: TaskForceRole, options: { kind?: AgencyKind; agency?: Agency }) => {
      const member = await identity.member(options);
      await identity.membership(tf, member, role);
      return app.actor(member);
    };
    coordinator = await person(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    officer = await person(taskForce, TaskForceRole.MEMBER, { agency: police });
    colleague = await person(taskForce, TaskForceRole.MEMBER, { agency: police });
    ngo = await person(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
    observer = await person(taskForce, TaskForceRole.OBSERVER, { kind: AgencyKind.INTERNATIONAL_ORGANISATION });
    outsider = await person(other, TaskForceRole.COORDINATOR, { kind: AgencyKind.POLICE });
  });
  afterAll(() => app?.close());

  const create = (assignee: Assignee, by: Actor = coordinator) =>
    items.create(by, { taskForceId: taskForce.id, title: 'Request the phone records', dueOn: DUE, assignee });
  const forOfficer = () => create({ memberId: officer.memberId });
  const forPolice = () => create({ agencyId: police.id });
  /** Puts an item in a status directly, to test the step from there. */
  async function inStatus(status: ActionItemStatus): Promise<ActionItem> {
    const item = await forOfficer();
    await app
      .em()
      .nativeUpdate(ActionItem, { id: item.id }, { status, blockedReason: status === 'BLOCKED' ? 'x' : null });
    return item;
  }
  const stored = (item: ActionItem) => app.em().findOneOrFail(ActionItem, { id: item.id });

  describe('workflow', () => {
    const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

    it.each(pairs.filter(([from, to]) => TRANSITIONS[from].includes(to)))('moves %s → %s', async (from, to) => {
      const item = await inStatus(from);
      const moved = await items.changeStatus(officer, item.id, to, 'Waiting for the operator');
      expect(moved.status).toBe(to);
      expect((await stored(item)).status).toBe(to);
    });

    it.each(pairs.filter(([from, to]) => !TRANSITIONS[from].includes(to)))(
      'refuses %s → %s with CONFLICT and leaves the item as it was',
      async (from, to) => {
        const item = await inStatus(from);
        await expect(items.changeStatus(officer, item.id, to, 'Because')).rejects.toMatchObject({
          code: 'CONFLICT',
          extensions: { field: 'status' },
        });
        expect((await stored(item)).status).toBe(from);
      },
    );

    it('refuses to block without a reason, and keeps the reason it is given', async () => {
      const item = await forOfficer();
      for (const reason of [undefined, '   ']) {
        await expect(items.changeStatus(officer, item.id, ActionItemStatus.BLOCKED, reason)).rejects.toMatchObject({
          code: 'BAD_USER_INPUT',
          extensions: { field: 'reason' },
        });
      }
      const blocked = await items.changeStatus(officer, item.id, ActionItemStatus.BLOCKED, '  Court order pending ');
      expect(blocked.blockedReason).toBe('Court order pending');
      const resumed = await items.changeStatus(officer, item.id, ActionItemStatus.IN_PROGRESS);
      expect(resumed.blockedReason).toBeNull();
    });

    it('stamps completion when done, and clears it when reopened', async () => {
      const item = await inStatus(ActionItemStatus.IN_PROGRESS);
      const done = await items.changeStatus(officer, item.id, ActionItemStatus.DONE);
      expect(done.completedAt).toBeInstanceOf(Date);
      const reopened = await items.changeStatus(officer, item.id, ActionItemStatus.OPEN);
      expect(reopened.completedAt).toBeNull();
    });
  });

  describe('who may assign', () => {
    it('lets a coordinator assign a member of any agency of the task force', async () => {
      const item = await create({ memberId: ngo.memberId });
      expect(item.assigneeMember?.id).toBe(ngo.memberId);
      expect(item.assigneeAgency).toBeNull();
    });

    it('lets a member create an item for themselves or their own agency', async () => {
      expect((await create({ memberId: officer.memberId }, officer)).assigneeMember?.id).toBe(officer.memberId);
      expect((await create({ agencyId: police.id }, officer)).assigneeAgency?.id).toBe(police.id);
    });

    it('does not let a member assign someone else, or another agency', async () => {
      for (const assignee of [{ memberId: colleague.memberId }, { agencyId: ngo.agencyId }]) {
        await expect(create(assignee, officer)).rejects.toMatchObject({
          code: 'FORBIDDEN',
          extensions: { field: 'assignee' },
        });
      }
    });

    it('does not let an observer create items', async () => {
      await expect(create({ memberId: observer.memberId }, observer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('assigns only within the task force: a member or an agency with a member in it', async () => {
      await expect(create({ memberId: outsider.memberId })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'assignee.memberId' },
      });
      await expect(create({ agencyId: outsider.agencyId })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'assignee.agencyId' },
      });
    });

    it('assigns to a member or to an agency, not both and not neither', async () => {
      for (const assignee of [{ memberId: officer.memberId, agencyId: police.id }, {}]) {
        await expect(create(assignee)).rejects.toMatchObject({
          code: 'BAD_USER_INPUT',
          extensions: { field: 'assignee' },
        });
      }
    });

    it('lets only a coordinator reassign', async () => {
      const item = await forOfficer();
      await expect(items.edit(officer, item.id, { assignee: { memberId: colleague.memberId } })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        extensions: { field: 'assignee' },
      });
      const reassigned = await items.edit(coordinator, item.id, { assignee: { memberId: colleague.memberId } });
      expect(reassigned.assigneeMember?.id).toBe(colleague.memberId);
    });
  });

  describe('who may take and move an item', () => {
    it('lets someone of the assigned agency take it: it becomes theirs, and in progress', async () => {
      const item = await forPolice();
      const taken = await items.take(officer, item.id);
      expect(taken.assigneeMember?.id).toBe(officer.memberId);
      expect(taken.assigneeAgency?.id).toBe(police.id);
      expect(taken.status).toBe(ActionItemStatus.IN_PROGRESS);
    });

    it('refuses a colleague once someone of the agency has taken it', async () => {
      const item = await forPolice();
      await items.take(officer, item.id);
      await expect(items.take(colleague, item.id)).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { field: 'id' },
      });
    });

    it('refuses someone of another agency, and an observer', async () => {
      const item = await forPolice();
      await expect(items.take(ngo, item.id)).rejects.toMatchObject({ code: 'FORBIDDEN', extensions: { field: 'id' } });
      await expect(items.take(observer, item.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await stored(item)).assigneeMember).toBeNull();
    });

    it('lets anyone of the assigned agency move an item no one has taken yet', async () => {
      const item = await forPolice();
      const moved = await items.changeStatus(colleague, item.id, ActionItemStatus.IN_PROGRESS);
      expect(moved.status).toBe(ActionItemStatus.IN_PROGRESS);
    });

    it('does not let a colleague move an item assigned to someone else, but lets a coordinator', async () => {
      const item = await forOfficer();
      await expect(items.changeStatus(colleague, item.id, ActionItemStatus.IN_PROGRESS)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        extensions: { field: 'id' },
      });
      const moved = await items.changeStatus(coordinator, item.id, ActionItemStatus.CANCELLED);
      expect(moved.status).toBe(ActionItemStatus.CANCELLED);
    });

    it('answers NOT_FOUND to a member of another task force', async () => {
      const item = await forOfficer();
      await expect(items.get(outsider, item.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(items.take(outsider, item.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
