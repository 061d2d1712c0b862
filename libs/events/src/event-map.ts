import type { EventEnvelope, NotificationPayload } from '@hub/contracts';

/**
 * The domain events and their envelope are the public contract, declared once in @hub/contracts for
 * the server, the web client, the tests and the benchmarks; this file adds what stays on the server.
 */
export type {
  ActionItemPayload,
  CaseSummaryPayload,
  EventEnvelope,
  HubEventMap,
  HubEventType,
  HearingPayload,
  MembershipPayload,
  ReferralPayload,
} from '@hub/contracts';

/** Events about a person rather than a task force: they reach every instance, without a cursor. */
export interface SystemEventMap {
  'member.disabled': { memberId: string };
  /** A platform-wide role (the national programme role) was granted or withdrawn. */
  'member.rolesChanged': { memberId: string };
  'session.revoked': { memberId: string; sessionId: string };
  /** A row of a member's inbox, written in the same transaction: every instance delivers it to that member's connections. */
  'notification.created': NotificationPayload;
}

export type SystemEventType = keyof SystemEventMap;

/** One system event, narrowed by `type`. */
export type SystemEvent = { [K in SystemEventType]: { type: K; data: SystemEventMap[K] } }[SystemEventType];

/** What travels on the bus: a task-force event with its meeting (for meeting rooms), or a system event. */
export type BusMessage =
  { kind: 'event'; envelope: EventEnvelope; meetingId: string | null } | ({ kind: 'system' } & SystemEvent);
