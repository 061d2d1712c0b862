/**
 * A member's notification, as the inbox stores it and as it is pushed live: a kind, the object it is
 * about and where. Ids and kinds only, never free text: a title can name a victim's situation, and a
 * notification may also travel by e-mail.
 */
export type NotificationKind =
  | 'ASSIGNED'
  | 'UNCLAIMED'
  | 'DUE_SOON'
  | 'DUE_TODAY'
  | 'OVERDUE'
  | 'OVERDUE_ESCALATED'
  | 'MEETING_SCHEDULED'
  | 'MEETING_CHANGED'
  | 'MEETING_CANCELLED'
  | 'MEETING_STARTING'
  | 'DECISION_REVIEW'
  | 'MEMBERSHIP_CHANGED'
  | 'REFERRAL_UNANSWERED'
  | 'HEARING_NOT_READY'
  | 'WEBHOOK_DISABLED';

/** What a notification is about: the web client opens it from the inbox. */
export type NotificationSubject =
  'actionItem' | 'meeting' | 'decision' | 'taskForce' | 'referral' | 'hearing' | 'webhook';

export interface NotificationPayload {
  /** The inbox position: increasing, unique; catch up with `after` = the last one you saw. Not gap-free. */
  id: number;
  memberId: string;
  taskForceId: string;
  kind: NotificationKind;
  subjectType: NotificationSubject;
  subjectId: string;
  /** Urgent ones pass quiet hours by e-mail. */
  urgent: boolean;
  createdAt: string;
}

/**
 * `notification.created` on the member's own Socket.IO room and from `myNotifications`: the envelope
 * of the other live events, with the inbox position as `cursor`.
 */
export interface NotificationEnvelope {
  type: 'notification.created';
  taskForceId: string;
  cursor: number;
  at: string;
  actorId: null;
  data: NotificationPayload;
}
