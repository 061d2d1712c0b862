import { Inject, Logger, OnModuleDestroy, UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { type Actor, assertCan, can } from '@hub/access';
import type { JoinAck, LeaveAck, NotificationPayload, PresenceAck } from '@hub/contracts';
import { badInput, HUB_CONFIG, type HubConfig, Metrics } from '@hub/core';
import {
  type Audience,
  audienceKey,
  audienceOf,
  EventStreams,
  isEventOf,
  type LiveConnectionHooks,
  type LiveSession,
  LiveSessions,
  rooms,
  type SessionEndReason,
} from '@hub/events';
import { AuthService } from '@hub/identity';
import { MeetingsService } from '@hub/meetings';
import { NotificationFeed } from '@hub/notifications';
import { ConnectionCaps, Drain, hubValidationPipe, SHUTDOWN_EVENT, SHUTDOWN_MESSAGE } from '@hub/platform';
import { emitEnvelope, type HubServer, type HubSocket } from './hub-socket';
import { PresenceBatches } from './presence-batches';
import { JoinRoom, RoomTarget } from './room.dto';
import { type Handshake, socketAuthMiddleware } from './socket-auth';
import { SocketRateLimit } from './socket-limits';
import { WsAckFilter } from './ws-ack.filter';

/** What the client is told in `session.ended` before the server disconnects it. */
const ENDED: Record<SessionEndReason, string> = {
  disabled: 'Your account was disabled.',
  revoked: 'Your session ended.',
  expired: 'Your access token expired. Reconnect with a fresh one.',
};

interface Joined {
  taskForceId: string;
  meetingId?: string;
  presenceRoom: string;
}

const NOT_JOINED: ReadonlyMap<string, Joined> = new Map();

/**
 * What the gateway keeps per socket. Set when it connects; never taken from the client. It is also
 * what the live-session watch calls back (methods, not closures per socket: an idle socket should
 * cost little more than Socket.IO's own).
 */
class SocketState implements LiveConnectionHooks {
  /** The member's live session: its actor as last checked; the watch ends the socket with it. */
  readonly session: LiveSession;
  readonly limit = new SocketRateLimit();
  /** room name → what it is, for leaving and re-checking; made at the first join. */
  private rooms?: Map<string, Joined>;
  /** Its rate limiting has been logged once already. */
  limitLogged = false;

  constructor(
    readonly socket: HubSocket,
    private readonly gateway: RoomsGateway,
    live: LiveSessions,
    actor: Actor,
  ) {
    this.session = live.watch(actor, this);
  }

  get joined(): ReadonlyMap<string, Joined> {
    return this.rooms ?? NOT_JOINED;
  }

  setJoined(room: string, joined: Joined): void {
    (this.rooms ??= new Map()).set(room, joined);
  }

  deleteJoined(room: string): void {
    this.rooms?.delete(room);
  }

  end(reason: SessionEndReason): void {
    this.gateway.end(this.socket, ENDED[reason]);
  }

  changed(): void {
    this.gateway.leaveLostRooms(this.socket, this);
  }
}

interface Target extends Joined {
  room: string;
  audience: Audience;
}

/**
 * Live rooms per task force and per meeting, and each member's own notices. The handler checks the
 * policy and wires; the streams decide order, catch-up and redaction (once per audience room), and
 * the live-session watch decides when a socket must end or leave a room.
 */
@WebSocketGateway()
@UseFilters(WsAckFilter)
@UsePipes(hubValidationPipe())
export class RoomsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(RoomsGateway.name);
  /** What each handshake established, until its connection starts. */
  private readonly handshakes = new WeakMap<HubSocket, Handshake>();
  /** Per-socket state stays on this instance; `socket.data` holds only what presence shares. */
  private readonly state = new WeakMap<HubSocket, SocketState>();
  /** One stream listener per audience room on this instance, and the local sockets in it. */
  private readonly listeners = new Map<string, { detach: () => void; sockets: Set<string> }>();
  /** `presence.changed` per presence room, batched; to every instance's sockets in the room. */
  private readonly presenceBatches = new PresenceBatches(
    (room, batch) => this.server.to(room).emit('presence.changed', batch),
    (room) => this.server.sockets.adapter.rooms.get(room)?.size ?? 0,
  );

  @WebSocketServer()
  server: HubServer;
  private stopFeed?: () => void;

  constructor(
    private readonly auth: AuthService,
    private readonly meetings: MeetingsService,
    private readonly streams: EventStreams,
    private readonly live: LiveSessions,
    private readonly drain: Drain,
    private readonly metrics: Metrics,
    private readonly caps: ConnectionCaps,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly feed: NotificationFeed,
  ) {}

  afterInit(server: HubServer): void {
    this.stopFeed = this.feed.listen((notification) => this.notify(notification));
    server.use(
      socketAuthMiddleware(this.auth, this.handshakes, this.metrics, {
        caps: this.caps,
        trustProxy: this.config.trustProxy,
      }),
    );
    // Only this instance's sockets: the others keep serving, and the clients move to them.
    this.drain.register('Socket.IO connections', () => {
      const local = [...server.sockets.sockets.values()];
      for (const socket of local) {
        socket.emit(SHUTDOWN_EVENT, { reconnect: true, message: SHUTDOWN_MESSAGE });
        socket.disconnect(true);
      }
      return local.length;
    });
  }

  /** Before the adapter closes (and its Redis clients with it): what waits goes out, later changes at once. */
  onModuleDestroy(): void {
    this.stopFeed?.();
    this.presenceBatches.close();
  }

  /**
   * To this instance's sockets of the member only: every instance hears each notification from the
   * bus, so emitting through the adapter would reach the member once per instance. The live-session
   * watch knows them already (a room per member was a Set per idle socket).
   */
  private notify(notification: NotificationPayload): void {
    for (const { hooks: state } of this.live.connectionsOf(notification.memberId)) {
      if (!(state instanceof SocketState) || state.session.expired) continue;
      const { socket } = state;
      if (!can(state.session.actor, 'events.read', notification.taskForceId)) continue;
      socket.emit('notification.created', {
        type: 'notification.created',
        taskForceId: notification.taskForceId,
        cursor: notification.id,
        at: notification.createdAt,
        actorId: null,
        data: notification,
      });
      this.metrics.notificationsDelivered.inc({ kind: notification.kind, transport: 'socket.io' });
    }
  }

  handleConnection(socket: HubSocket): void {
    const handshake = this.handshakes.get(socket);
    if (!handshake) return void socket.disconnect(true);
    const { actor, address } = handshake;
    const state = new SocketState(socket, this, this.live, actor);
    this.state.set(socket, state);
    this.metrics.socketsConnected.inc({ transport: 'socket.io' });
    this.logger.log({ socket: socket.id, memberId: actor.memberId, client: address }, 'socket connected');
    socket.use(this.rateLimiter(state));
  }

  /** The socket's message middleware; made here so that its closure holds the state and nothing else. */
  private rateLimiter(state: SocketState): Parameters<HubSocket['use']>[0] {
    return ([event, ...args], next) => {
      try {
        state.limit.take();
        next();
      } catch (error) {
        this.onRateLimited(state, String(event), args.at(-1), error as Error);
      }
    };
  }

  private onRateLimited(state: SocketState, event: string, ack: unknown, error: Error): void {
    const { socket } = state;
    const memberId = state.session.actor.memberId;
    this.metrics.reject('socket_rate_limited');
    // Once per socket, not once per message: a flood must not become a flood of log lines.
    if (!state.limitLogged)
      this.logger.warn(`rate-limiting socket ${socket.id} of member ${memberId} (event ${event.slice(0, 40)})`);
    state.limitLogged = true;
    if (typeof ack === 'function') ack({ ok: false, error: { code: 'RATE_LIMITED', message: error.message } });
    if (state.limit.exhausted && socket.connected) {
      this.metrics.reject('socket_flood');
      this.logger.warn(`disconnecting member ${memberId}: message flood`);
      socket.disconnect(true);
    }
  }

  handleDisconnect(socket: HubSocket): void {
    const state = this.state.get(socket);
    if (!state) return;
    this.metrics.socketsConnected.dec({ transport: 'socket.io' });
    state.session.release();
    for (const [room, joined] of [...state.joined]) {
      this.left(socket, room, joined);
      state.deleteJoined(room);
    }
  }

  @SubscribeMessage('room.join')
  async join(@ConnectedSocket() socket: HubSocket, @MessageBody() body: JoinRoom): Promise<JoinAck> {
    const state = this.stateOf(socket);
    const target = await this.target(state, body);
    const previous = state.joined.get(target.room);
    if (previous) this.left(socket, target.room, previous);
    this.listen(target, socket.id);
    try {
      const cursor = await this.streams.replayThenJoin(
        target.taskForceId,
        { audience: target.audience, meetingId: target.meetingId },
        body.after,
        (envelope) => {
          emitEnvelope(socket, envelope);
          this.metrics.eventsDelivered.inc({ transport: 'socket.io' });
        },
        () => socket.join([target.room, target.presenceRoom]),
      );
      if (socket.disconnected) {
        // It went away while catching up: handleDisconnect did not know of this room yet.
        this.release(target.room, socket.id);
        return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Disconnected.' } };
      }
      if (body.after !== undefined) this.metrics.catchUps.inc({ transport: 'socket.io' });
      this.logger.log(
        {
          socket: socket.id,
          memberId: state.session.actor.memberId,
          taskForceId: target.taskForceId,
          meetingId: target.meetingId,
          after: body.after,
        },
        'room joined',
      );
      state.session.recordJoin('live.roomJoined', { ...target, after: body.after });
      state.setJoined(target.room, {
        taskForceId: target.taskForceId,
        meetingId: target.meetingId,
        presenceRoom: target.presenceRoom,
      });
      this.presenceBatches.add(target.presenceRoom, target, { memberId: state.session.actor.memberId, online: true });
      return { ok: true, cursor };
    } catch (error) {
      this.release(target.room, socket.id);
      throw error;
    }
  }

  @SubscribeMessage('room.leave')
  async leave(@ConnectedSocket() socket: HubSocket, @MessageBody() body: RoomTarget): Promise<LeaveAck> {
    const state = this.stateOf(socket);
    const target = await this.target(state, body);
    const joined = state.joined.get(target.room);
    if (!joined) throw badInput('taskForceId', 'You are not in this room.');
    this.left(socket, target.room, joined);
    state.deleteJoined(target.room);
    return { ok: true };
  }

  /** Who is connected in a task force's or a meeting's room, across every instance. */
  @SubscribeMessage('presence.get')
  async presence(@ConnectedSocket() socket: HubSocket, @MessageBody() body: RoomTarget): Promise<PresenceAck> {
    const target = await this.target(this.stateOf(socket), body);
    const sockets = await this.server.in(target.presenceRoom).fetchSockets();
    const connections = new Map<string, number>();
    for (const remote of sockets) {
      const memberId = remote.data?.memberId;
      if (memberId) connections.set(memberId, (connections.get(memberId) ?? 0) + 1);
    }
    return { ok: true, members: [...connections].map(([memberId, count]) => ({ memberId, connections: count })) };
  }

  /**
   * The policy decides, on the member's memberships as they are now (not as they were at the
   * handshake); a room name comes from the server, never from the client.
   */
  private async target(state: SocketState, body: RoomTarget): Promise<Target> {
    const actor = await state.session.refresh();
    if (body.taskForceId && body.meetingId)
      throw badInput('meetingId', 'Send either taskForceId or meetingId, not both.');
    const taskForceId = body.meetingId ? await this.meetings.taskForceOf(actor, body.meetingId) : body.taskForceId!;
    assertCan(actor, 'events.read', taskForceId);
    const audience = audienceOf(actor);
    return body.meetingId
      ? {
          taskForceId,
          meetingId: body.meetingId,
          audience,
          room: rooms.meeting(body.meetingId, audienceKey(audience)),
          presenceRoom: rooms.meetingPresence(body.meetingId),
        }
      : {
          taskForceId,
          audience,
          room: rooms.taskForce(taskForceId, audienceKey(audience)),
          presenceRoom: rooms.taskForcePresence(taskForceId),
        };
  }

  /** The first local socket of an audience room starts its stream listener; the last one stops it. */
  private listen(target: Target, socketId: string): void {
    let entry = this.listeners.get(target.room);
    if (!entry) {
      entry = { sockets: new Set(), detach: () => undefined };
      const current = entry;
      this.listeners.set(target.room, current);
      void this.streams
        .attach(target.taskForceId, {
          audience: target.audience,
          meetingId: target.meetingId,
          deliver: (envelope) => {
            // A removal takes effect before this event or any later one reaches the room.
            if (envelope.type === 'membership.removed' && envelope.data)
              this.live.memberLeft(envelope.taskForceId, envelope.data.memberId);
            if (!isEventOf(envelope, 'membership') || !target.meetingId) {
              emitEnvelope(this.server.local.to(target.room), envelope);
              this.metrics.eventsDelivered.inc(
                { transport: 'socket.io' },
                this.server.sockets.adapter.rooms.get(target.room)?.size ?? 0,
              );
            }
          },
        })
        .then(({ detach }) => {
          if (this.listeners.get(target.room) === current) current.detach = detach;
          else detach();
        });
    }
    entry.sockets.add(socketId);
  }

  private release(room: string, socketId: string): void {
    const entry = this.listeners.get(room);
    if (!entry) return;
    entry.sockets.delete(socketId);
    if (!entry.sockets.size) {
      this.listeners.delete(room);
      entry.detach();
    }
  }

  private left(socket: HubSocket, room: string, joined: Joined): void {
    void socket.leave(room);
    void socket.leave(joined.presenceRoom);
    this.release(room, socket.id);
    const state = this.state.get(socket);
    if (state)
      this.presenceBatches.add(joined.presenceRoom, joined, { memberId: state.session.actor.memberId, online: false });
  }

  /** @internal The socket keeps only the rooms its member may still read, and is told of each one it left. */
  leaveLostRooms(socket: HubSocket, state: SocketState): void {
    for (const [room, joined] of state.session.lost(state.joined)) {
      this.left(socket, room, joined);
      state.deleteJoined(room);
      socket.emit('room.left', {
        taskForceId: joined.taskForceId,
        meetingId: joined.meetingId ?? null,
        code: 'FORBIDDEN',
        message: 'You are no longer a member of this task force.',
      });
    }
  }

  /** @internal Tells the client why, then closes; the client signs in or refreshes, and reconnects. */
  end(socket: HubSocket, message: string): void {
    socket.emit('session.ended', { code: 'UNAUTHENTICATED', message });
    socket.disconnect(true);
  }

  private stateOf(socket: HubSocket): SocketState {
    const state = this.state.get(socket);
    if (!state) throw new Error('socket without state');
    return state;
  }
}
