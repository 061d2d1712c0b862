import { type Actor, assertCan } from '@hub/access';

/*
 * Row-level rules for meetings: who an attendance record may be about. The role rules stay in
 * libs/access; this adds what the request's row decides. Pure: it reads the actor and the request,
 * never the database (that the other person belongs to the task force is checked by the caller).
 */

/** Whom a check-in or check-out is for. */
export interface AttendeeChoice {
  memberId: string;
  /** Someone other than the actor: the caller still checks that they are a member of the task force. */
  onBehalf: boolean;
}

/**
 * A member checks themselves in or out (meeting.attend); recording someone else's arrival or
 * departure is a coordinator's (meeting.manage). Naming oneself counts as no one named.
 */
export function attendeeFor(actor: Actor, taskForceId: string, memberId?: string | null): AttendeeChoice {
  if (!memberId || memberId === actor.memberId) {
    assertCan(actor, 'meeting.attend', taskForceId);
    return { memberId: actor.memberId, onBehalf: false };
  }
  assertCan(actor, 'meeting.manage', taskForceId);
  return { memberId, onBehalf: true };
}
