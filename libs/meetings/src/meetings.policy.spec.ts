import { type Actor, AgencyKind, TaskForceRole } from '@hub/access';
import { DomainError } from '@hub/core';
import { attendeeFor } from './meetings.policy';

/*
 * Whom a check-in or check-out is for, row by row: who acts, whom they name, and the outcome.
 * Refusals are pinned to the letter, since clients show them as they are.
 */

const TF = 'tf-bucharest';
const ME = 'member-me';
const OTHER = 'member-other';

function actor(role: TaskForceRole | null, options: { admin?: boolean } = {}): Actor {
  return {
    memberId: ME,
    sessionId: 'session-1',
    agencyId: 'agency-1',
    agencyKind: AgencyKind.POLICE,
    isPlatformAdmin: options.admin ?? false,
    roles: new Map(role ? [[TF, role]] : []),
    ip: '127.0.0.1',
  };
}

const coordinator = actor(TaskForceRole.COORDINATOR);
const member = actor(TaskForceRole.MEMBER);
const observer = actor(TaskForceRole.OBSERVER);
const outsider = actor(null);
/** Administrators run the platform; they are not in meetings. */
const administrator = actor(null, { admin: true });

const SELF = `self: ${ME}`;
const ON_BEHALF = `on behalf of: ${OTHER}`;
const NOT_VISIBLE = 'NOT_FOUND: The task force was not found, or you do not have access to it.';
const NO_ATTEND = 'FORBIDDEN: Your role in this task force does not allow this (meeting.attend). Ask a coordinator.';
const NO_MANAGE = 'FORBIDDEN: Your role in this task force does not allow this (meeting.manage). Ask a coordinator.';

/** `self: id`, `on behalf of: id`, or the refusal as `CODE: sentence`. */
function outcome(who: Actor, memberId: string | null | undefined): string {
  try {
    const choice = attendeeFor(who, TF, memberId);
    return `${choice.onBehalf ? 'on behalf of' : 'self'}: ${choice.memberId}`;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

describe('whom a check-in or check-out is for', () => {
  const rows: [string, Actor, string | null | undefined, string][] = [
    ['a member, naming no one', member, undefined, SELF],
    ['a member, naming null', member, null, SELF],
    ['a member, naming the empty id', member, '', SELF],
    ['a member, naming themselves', member, ME, SELF],
    ['a member, naming someone else', member, OTHER, NO_MANAGE],
    ['an observer, naming no one', observer, undefined, SELF],
    ['an observer, naming themselves', observer, ME, SELF],
    ['an observer, naming someone else', observer, OTHER, NO_MANAGE],
    ['a coordinator, naming no one', coordinator, undefined, SELF],
    ['a coordinator, naming themselves', coordinator, ME, SELF],
    ['a coordinator, naming someone else', coordinator, OTHER, ON_BEHALF],
    ['someone outside the task force, naming no one', outsider, undefined, NOT_VISIBLE],
    ['someone outside the task force, naming someone else', outsider, OTHER, NOT_VISIBLE],
    ['a platform administrator outside the task force, naming no one', administrator, undefined, NO_ATTEND],
    ['a platform administrator outside the task force, naming someone else', administrator, OTHER, NO_MANAGE],
  ];

  test.each(rows)('%s', (_, who, memberId, expected) => {
    expect(outcome(who, memberId)).toBe(expected);
  });
});
