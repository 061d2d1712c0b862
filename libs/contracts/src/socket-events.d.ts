import type { EventEnvelope, HubEventType } from './live-events';
import type { NotificationEnvelope } from './notifications';

/** A live room: a task force's or a meeting's, never both. */
export type RoomTarget =
  { taskForceId: string; meetingId?: undefined } | { meetingId: string; taskForceId?: undefined };

/** `room.join`: with `after`, every missed event is sent first, in order, then live ones. */
export type JoinRoom = RoomTarget & { after?: number };

export interface AckError {
  code: string;
  message: string;
  /** The input at fault, for BAD_USER_INPUT. */
  field?: string;
  [extension: string]: unknown;
}

export type Refusal = { ok: false; error: AckError };
export type JoinAck = { ok: true; cursor: number } | Refusal;
export type LeaveAck = { ok: true } | Refusal;
export interface PresenceEntry {
  memberId: string;
  connections: number;
}
export type PresenceAck = { ok: true; members: PresenceEntry[] } | Refusal;

/** One connection of a member that joined (`online: true`) or left (`online: false`) a room. */
export interface PresenceChange {
  memberId: string;
  online: boolean;
}

/**
 * `presence.changed`: a room's changes, batched per room and instance: a quiet room's first change at
 * once, then at most one message per interval, which grows with the room (10 ms per socket the room
 * has on the instance, at least 250 ms, at most 30 s: every 10 s in a room of 1,000), so a mass join
 * costs each socket a few messages. Always a list (even of one), one entry per connection, in the
 * order they happened.
 * Counts per member are what `presence.get` answers.
 */
export interface PresenceChanged {
  taskForceId: string;
  meetingId: string | null;
  changes: PresenceChange[];
}

/** The member lost access to a room (their membership was removed): the server has left it for them. */
export interface RoomLeft {
  taskForceId: string;
  meetingId: string | null;
  code: string;
  message: string;
}

/** Sent just before the server disconnects: sign in or refresh, then reconnect. */
export interface SessionEnded {
  code: string;
  message: string;
}

/** The instance is shutting down: reconnect (to another instance) with the last cursor. */
export interface ServerShutdown {
  reconnect: boolean;
  message: string;
}

/** What the gateway emits: every domain event under its own type, and the room and session notices. */
export type ServerToClientEvents = { [K in HubEventType]: (envelope: EventEnvelope<K>) => void } & {
  'presence.changed': (change: PresenceChanged) => void;
  /** Only in the member's own room, which every socket is in from its connection. */
  'notification.created': (envelope: NotificationEnvelope) => void;
  'room.left': (notice: RoomLeft) => void;
  'session.ended': (notice: SessionEnded) => void;
  'server.shutdown': (notice: ServerShutdown) => void;
};

/** What a client sends, each with an acknowledgement. */
export interface ClientToServerEvents {
  'room.join': (target: JoinRoom, ack: (answer: JoinAck) => void) => void;
  'room.leave': (target: RoomTarget, ack: (answer: LeaveAck) => void) => void;
  'presence.get': (target: RoomTarget, ack: (answer: PresenceAck) => void) => void;
}

/** What a socket shares with the other instances (through the adapter, for presence). */
export interface SocketData {
  memberId: string;
}
