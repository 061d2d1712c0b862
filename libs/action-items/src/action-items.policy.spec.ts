import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { DomainError } from '@hub/core';
import {
  type AssignedItem,
  type Assignee,
  assertMayTake,
  assertOwnAssignee,
  assertWorker,
  isOwnAssignee,
  isWorkerOf,
} from './action-items.policy';

/*
 * The row-level rules written out row by row: who acts, on what, and the outcome. Refusals are
 * pinned to the letter (code, field and sentence), since clients show them as they are.
 */

const TF = 'tf-bucharest';
const ME = 'member-me';
const COLLEAGUE = 'member-colleague'; // same agency as ME
const STRANGER = 'member-stranger'; // another agency
const MY_AGENCY = 'agency-police';
const OTHER_AGENCY = 'agency-ngo';

function actor(role: TaskForceRole | null, memberId = ME, agencyId = MY_AGENCY): Actor {
  return {
    memberId,
    sessionId: 'session-1',
    agencyId,
    agencyKind: AgencyKind.POLICE,
    isPlatformAdmin: false,
    roles: new Map(role ? [[TF, role]] : []),
    ip: '127.0.0.1',
  };
}

const member = actor(TaskForceRole.MEMBER);
const colleague = actor(TaskForceRole.MEMBER, COLLEAGUE);
const stranger = actor(TaskForceRole.MEMBER, STRANGER, OTHER_AGENCY);
const coordinator = actor(TaskForceRole.COORDINATOR);
const observer = actor(TaskForceRole.OBSERVER);
const outsider = actor(null);

function item(memberId: string | null, agencyId: string | null): AssignedItem {
  return {
    taskForce: { id: TF },
    assigneeMember: memberId ? { id: memberId } : null,
    assigneeAgency: agencyId ? { id: agencyId } : null,
  };
}

const mine = item(ME, null);
const colleagues = item(COLLEAGUE, null);
const myAgencyOpen = item(null, MY_AGENCY);
const myAgencyTakenByMe = item(ME, MY_AGENCY);
const myAgencyTakenByColleague = item(COLLEAGUE, MY_AGENCY);
const otherAgencyOpen = item(null, OTHER_AGENCY);

const ALLOWED = 'allowed';
const NOT_VISIBLE = 'NOT_FOUND: The task force was not found, or you do not have access to it.';
const NO_WORK = 'FORBIDDEN: Your role in this task force does not allow this (actionItem.work). Ask a coordinator.';
const NOT_OWN_ASSIGNEE =
  'FORBIDDEN[assignee]: Members create action items for themselves or their own agency. Ask a coordinator to assign others.';
const SOMEONE_ELSES = 'FORBIDDEN[id]: This action item is assigned to someone else. Ask them or a coordinator.';
const NOT_MY_AGENCY = 'FORBIDDEN[id]: You can take action items assigned to your agency only.';
const ALREADY_TAKEN = 'CONFLICT[id]: Someone of your agency has already taken this item.';

/** 'allowed', or the refusal as `CODE[field]: sentence`. */
function outcome(rule: () => void): string {
  try {
    rule();
    return ALLOWED;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = error.extensions.field as string | undefined;
    return `${error.code}${field ? `[${field}]` : ''}: ${error.message}`;
  }
}

describe('creating for an assignee (members who do not manage action items)', () => {
  const rows: [string, Actor, Assignee, boolean, string][] = [
    ['oneself', member, { memberId: ME }, true, ALLOWED],
    ['a colleague of one’s agency', member, { memberId: COLLEAGUE }, false, NOT_OWN_ASSIGNEE],
    ['someone of another agency', member, { memberId: STRANGER }, false, NOT_OWN_ASSIGNEE],
    ['one’s own agency', member, { agencyId: MY_AGENCY }, true, ALLOWED],
    ['another agency', member, { agencyId: OTHER_AGENCY }, false, NOT_OWN_ASSIGNEE],
    ['no one', member, {}, false, NOT_OWN_ASSIGNEE],
    // A member named decides, whatever agency is sent with it (the service refuses both at once later).
    ['oneself, with another agency', member, { memberId: ME, agencyId: OTHER_AGENCY }, true, ALLOWED],
    ['someone else, with one’s agency', member, { memberId: COLLEAGUE, agencyId: MY_AGENCY }, false, NOT_OWN_ASSIGNEE],
  ];

  test.each(rows)('%s', (_, who, assignee, own, expected) => {
    expect(isOwnAssignee(who, assignee)).toBe(own);
    expect(outcome(() => assertOwnAssignee(who, assignee))).toBe(expected);
  });
});

describe('working on an item (editing it or moving its status, without actionItem.manage)', () => {
  const rows: [string, Actor, AssignedItem, boolean, string][] = [
    ['a member, on their own item', member, mine, true, ALLOWED],
    ['a member, on a colleague’s item', member, colleagues, false, SOMEONE_ELSES],
    ['a member, on their agency’s untaken item', member, myAgencyOpen, true, ALLOWED],
    ['a member, on their agency’s item they took', member, myAgencyTakenByMe, true, ALLOWED],
    ['a member, on their agency’s item a colleague took', member, myAgencyTakenByColleague, false, SOMEONE_ELSES],
    ['a member, on another agency’s item', member, otherAgencyOpen, false, SOMEONE_ELSES],
    ['a member of another agency, on that agency’s item', stranger, otherAgencyOpen, true, ALLOWED],
    ['a colleague, on the item they took', colleague, myAgencyTakenByColleague, true, ALLOWED],
    // The role comes first: an observer is refused for the role, even on an item that would be theirs.
    ['an observer, on their own item', observer, mine, true, NO_WORK],
    ['an observer, on their agency’s untaken item', observer, myAgencyOpen, true, NO_WORK],
    ['someone outside the task force', outsider, mine, true, NOT_VISIBLE],
    // Coordinators bypass this rule in the service (actionItem.manage); the rule itself knows no roles.
    ['a coordinator, on a colleague’s item', coordinator, colleagues, false, SOMEONE_ELSES],
  ];

  test.each(rows)('%s', (_, who, row, worker, expected) => {
    expect(isWorkerOf(who, row)).toBe(worker);
    expect(outcome(() => assertWorker(who, row))).toBe(expected);
  });
});

describe('taking an item', () => {
  const rows: [string, Actor, AssignedItem, string][] = [
    ['a member, their agency’s untaken item', member, myAgencyOpen, ALLOWED],
    ['a member, their agency’s item they took already', member, myAgencyTakenByMe, ALLOWED],
    ['a member, their agency’s item a colleague took', member, myAgencyTakenByColleague, ALREADY_TAKEN],
    ['a member, another agency’s item', member, otherAgencyOpen, NOT_MY_AGENCY],
    // An item assigned to a person, not to an agency, is not for taking, not even by that person.
    ['a member, an item assigned to them personally', member, mine, NOT_MY_AGENCY],
    ['a member, an item assigned to a colleague personally', member, colleagues, NOT_MY_AGENCY],
    ['a member of another agency, that agency’s item', stranger, otherAgencyOpen, ALLOWED],
    ['a coordinator, their agency’s untaken item', coordinator, myAgencyOpen, ALLOWED],
    ['a coordinator, another agency’s item', coordinator, otherAgencyOpen, NOT_MY_AGENCY],
    ['a coordinator, their agency’s item a colleague took', coordinator, myAgencyTakenByColleague, ALREADY_TAKEN],
    ['an observer, their agency’s untaken item', observer, myAgencyOpen, NO_WORK],
    ['someone outside the task force', outsider, myAgencyOpen, NOT_VISIBLE],
  ];

  test.each(rows)('%s', (_, who, row, expected) => {
    expect(outcome(() => assertMayTake(who, row))).toBe(expected);
  });
});
