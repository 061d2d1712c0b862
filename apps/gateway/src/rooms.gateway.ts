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
import { assertCan, can } from '@hub/access';
import { AuditService } from '@hub/audit';
import { badInput, HUB_CONFIG, type HubConfig, Metrics } from '@hub/core';
import { Audience, EventStreams, rooms } from '@hub/events';
import { AuthService } from '@hub/identity';
import { MeetingsService } from '@hub/meetings';
import { ConnectionCaps, Drain, hubValidationPipe, SHUTDOWN_EVENT, SHUTDOWN_MESSAGE } from '@hub/platform';
import type { Server, Socket } from 'socket.io';
import { JoinRoom, RoomTarget } from './room.dto';
import { socketAuthMiddleware, SocketState } from './socket-auth';
import { WsAckFilter } from './ws-ack.filter';

/** Sockets whose session is checked again against the database, in case a bus message was lost. */
const REVALIDATE_MS = 30_000;

interface Target {
  taskForceId: string;
  meetingId?: string;
  room: string;
  presenceRoom: string;
  audience: Audience;
}

/**
 * Live rooms per task force and per meeting, and each member's personal room. The handler checks the
 * policy and wires; the streams decide order, catch-up and redaction (once per audience room).
 */
@WebSocketGateway()
@UseFilters(WsAckFilter)
@UsePipes(hubValidationPipe())
export class RoomsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(RoomsGateway.name);
  /** Per-socket state stays on this instance; `socket.data` holds only what presence shares. */
  private readonly state = new WeakMap<Socket, SocketState>();
  /** One stream listener per audience room on this instance, and the local sockets in it. */
  private readonly listeners = new Map<string, { detach: () => void; sockets: Set<string> }>();
  private sweep?: NodeJS.Timeout;

  @WebSocketServer()
  server: Server;

  constructor(
    private readonly auth: AuthService,
    private readonly meetings: MeetingsService,
    private readonly streams: EventStreams,
    private readonly audit: AuditService,
    private readonly drain: Drain,
    private readonly metrics: Metrics,
    private readonly caps: ConnectionCaps,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  afterInit(server: Server): void {
    server.use(
      socketAuthMiddleware(this.auth, this.state, this.metrics, {
        caps: this.caps,
        trustProxy: this.config.trustProxy,
      }),
    );
    this.streams.onSystemEvent((type, data) => {
      if (type === 'member.disabled')
        this.endWhere((s) => s.actor.memberId === data.memberId, 'Your account was disabled.');
      if (type === 'session.revoked')
        this.endWhere((s) => s.actor.sessionId === (data as { sessionId: string }).sessionId, 'Your session ended.');
    });
    // Only this instance's sockets: the others keep serving, and the clients move to them.
    this.drain.register('Socket.IO connections', () => {
      const local = [...server.sockets.sockets.values()];
      for (const socket of local) {
        socket.emit(SHUTDOWN_EVENT, { reconnect: true, message: SHUTDOWN_MESSAGE });
        socket.disconnect(true);
      }
      return local.length;
    });
    this.sweep = setInterval(
      () => void this.revalidate().catch((error: Error) => this.logger.warn(`revalidate: ${error.message}`)),
      REVALIDATE_MS,
    );
    this.sweep.unref();
  }

  async handleConnection(socket: Socket): Promise<void> {
    const state = this.state.get(socket);
    if (!state) return void socket.disconnect(true);
    this.metrics.socketsConnected.inc({ transport: 'socket.io' });
    this.logger.log({ socket: socket.id, memberId: state.actor.memberId, client: state.address }, 'socket connected');
    socket.use(([event, ...args], next) => {
      try {
        state.limit.take();
        next();
      } catch (error) {
        this.metrics.reject('socket_rate_limited');
        // Once per socket, not once per message: a flood must not become a flood of log lines.
        if (!state.limitLogged)
          this.logger.warn(
            `rate-limiting socket ${socket.id} of member ${state.actor.memberId} (event ${String(event).slice(0, 40)})`,
          );
        state.limitLogged = true;
        const ack = args.at(-1);
        if (typeof ack === 'function')
          ack({ ok: false, error: { code: 'RATE_LIMITED', message: (error as Error).message } });
        if (state.limit.exhausted && socket.connected) {
          this.metrics.reject('socket_flood');
          this.logger.warn(`disconnecting member ${state.actor.memberId}: message flood`);
          socket.disconnect(true);
        }
      }
    });
    await socket.join(rooms.member(state.actor.memberId));
    if (state.actor.tokenExpiresAt) {
      const left = Math.max(0, state.actor.tokenExpiresAt - Date.now());
      state.expiry = setTimeout(() => this.end(socket, 'Your access token expired. Reconnect with a fresh one.'), left);
      state.expiry.unref();
    }
  }

  handleDisconnect(socket: Socket): void {
    const state = this.state.get(socket);
    if (!state) return;
    this.metrics.socketsConnected.dec({ transport: 'socket.io' });
    clearTimeout(state.expiry);
    for (const [room, joined] of state.joined) this.left(socket, room, joined);
    state.joined.clear();
  }

  @SubscribeMessage('room.join')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() body: JoinRoom) {
    const state = this.stateOf(socket);
    const target = await this.target(state, body);
    if (state.joined.has(target.room)) this.left(socket, target.room, state.joined.get(target.room)!);
    this.listen(target, socket.id);
    try {
      const cursor = await this.streams.replayThenJoin(
        target.taskForceId,
        { audience: target.audience, meetingId: target.meetingId },
        body.after,
        (envelope) => {
          socket.emit(envelope.type, envelope);
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
          memberId: state.actor.memberId,
          taskForceId: target.taskForceId,
          meetingId: target.meetingId,
          after: body.after,
        },
        'room joined',
      );
      void this.audit
        .recordNow({
          action: 'live.roomJoined',
          actorId: state.actor.memberId,
          taskForceId: target.taskForceId,
          subjectType: target.meetingId ? 'Meeting' : 'TaskForce',
          subjectId: target.meetingId ?? target.taskForceId,
          ip: state.actor.ip,
          details: { after: body.after ?? null },
        })
        .catch((error: Error) => this.logger.warn(`audit: ${error.message}`));
      state.joined.set(target.room, {
        taskForceId: target.taskForceId,
        meetingId: target.meetingId,
        presenceRoom: target.presenceRoom,
      });
      this.server.to(target.presenceRoom).emit('presence.changed', {
        taskForceId: target.taskForceId,
        meetingId: target.meetingId ?? null,
        memberId: state.actor.memberId,
        online: true,
      });
      return { ok: true, cursor };
    } catch (error) {
      this.release(target.room, socket.id);
      throw error;
    }
  }

  @SubscribeMessage('room.leave')
  async leave(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomTarget) {
    const state = this.stateOf(socket);
    const target = await this.target(state, body);
    const joined = state.joined.get(target.room);
    if (!joined) throw badInput('taskForceId', 'You are not in this room.');
    this.left(socket, target.room, joined);
    state.joined.delete(target.room);
    return { ok: true };
  }

  /** Who is connected in a task force's or a meeting's room, across every instance. */
  @SubscribeMessage('presence.get')
  async presence(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomTarget) {
    const target = await this.target(this.stateOf(socket), body);
    const sockets = await this.server.in(target.presenceRoom).fetchSockets();
    const connections = new Map<string, number>();
    for (const remote of sockets) {
      const memberId = (remote.data as { memberId?: string }).memberId;
      if (memberId) connections.set(memberId, (connections.get(memberId) ?? 0) + 1);
    }
    return { ok: true, members: [...connections].map(([memberId, count]) => ({ memberId, connections: count })) };
  }

  /**
   * The policy decides, on the member's memberships as they are now (not as they were at the
   * handshake); a room name comes from the server, never from the client.
   */
  private async target(state: SocketState, body: RoomTarget): Promise<Target> {
    state.actor = {
      ...(await this.auth.actorForSession(state.actor.memberId, state.actor.sessionId, state.actor.ip)),
      tokenExpiresAt: state.actor.tokenExpiresAt,
    };
    const actor = state.actor;
    if (body.taskForceId && body.meetingId)
      throw badInput('meetingId', 'Send either taskForceId or meetingId, not both.');
    const taskForceId = body.meetingId ? await this.meetings.taskForceOf(actor, body.meetingId) : body.taskForceId!;
    assertCan(actor, 'events.read', taskForceId);
    const audience = actor.agencyKind;
    return body.meetingId
      ? {
          taskForceId,
          meetingId: body.meetingId,
          audience,
          room: rooms.meeting(body.meetingId, audience),
          presenceRoom: rooms.meetingPresence(body.meetingId),
        }
      : {
          taskForceId,
          audience,
          room: rooms.taskForce(taskForceId, audience),
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
            const aboutAccess = envelope.type.startsWith('membership.');
            // A removal takes effect before this event or any later one reaches the room.
            if (envelope.type === 'membership.removed' && envelope.data)
              this.removeFrom(envelope.taskForceId, (envelope.data as { memberId: string }).memberId);
            if (!aboutAccess || !target.meetingId) {
              this.server.local.to(target.room).emit(envelope.type, envelope);
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

  private left(
    socket: Socket,
    room: string,
    joined: { taskForceId: string; meetingId?: string; presenceRoom: string },
  ): void {
    void socket.leave(room);
    void socket.leave(joined.presenceRoom);
    this.release(room, socket.id);
    const state = this.state.get(socket);
    if (state)
      this.server.to(joined.presenceRoom).emit('presence.changed', {
        taskForceId: joined.taskForceId,
        meetingId: joined.meetingId ?? null,
        memberId: state.actor.memberId,
        online: false,
      });
  }

  /** Synchronously: the member's sockets here leave every room of that task force. */
  private removeFrom(taskForceId: string, memberId: string): void {
    for (const socket of this.server.sockets.sockets.values()) {
      const state = this.state.get(socket);
      if (!state || state.actor.memberId !== memberId) continue;
      const roles = new Map(state.actor.roles);
      roles.delete(taskForceId);
      state.actor = { ...state.actor, roles };
      for (const [room, joined] of [...state.joined]) {
        if (joined.taskForceId !== taskForceId) continue;
        this.left(socket, room, joined);
        state.joined.delete(room);
        socket.emit('room.left', {
          taskForceId,
          meetingId: joined.meetingId ?? null,
          code: 'FORBIDDEN',
          message: 'You are no longer a member of this task force.',
        });
      }
    }
  }

  /** The member's sockets here keep only the rooms the policy still allows, as the database has it now. */
  private async recheck(memberId: string): Promise<void> {
    for (const socket of this.server.sockets.sockets.values()) {
      const state = this.state.get(socket);
      if (!state || state.actor.memberId !== memberId) continue;
      try {
        state.actor = {
          ...(await this.auth.actorForSession(memberId, state.actor.sessionId)),
          tokenExpiresAt: state.actor.tokenExpiresAt,
        };
      } catch {
        this.end(socket, 'Your session ended.');
        continue;
      }
      for (const [room, joined] of [...state.joined]) {
        if (can(state.actor, 'events.read', joined.taskForceId)) continue;
        this.left(socket, room, joined);
        state.joined.delete(room);
        socket.emit('room.left', {
          taskForceId: joined.taskForceId,
          meetingId: joined.meetingId ?? null,
          code: 'FORBIDDEN',
          message: 'You are no longer a member of this task force.',
        });
      }
    }
  }

  /** The safety net for a lost bus message: ended sessions are closed, and rooms a member lost are left. */
  private async revalidate(): Promise<void> {
    const states = [...this.server.sockets.sockets.values()]
      .map((s) => this.state.get(s))
      .filter((s): s is SocketState => !!s);
    const ended = await this.auth.endedSessions([...new Set(states.map((s) => s.actor.sessionId))]);
    this.endWhere((state) => ended.has(state.actor.sessionId), 'Your session ended.');
    const members = new Set(
      states.filter((s) => s.joined.size && !ended.has(s.actor.sessionId)).map((s) => s.actor.memberId),
    );
    for (const memberId of members) await this.recheck(memberId);
  }

  private endWhere(match: (state: SocketState) => boolean, message: string): void {
    for (const socket of this.server.sockets.sockets.values()) {
      const state = this.state.get(socket);
      if (state && match(state)) this.end(socket, message);
    }
  }

  /** Tells the client why, then closes; the client signs in or refreshes, and reconnects. */
  private end(socket: Socket, message: string): void {
    socket.emit('session.ended', { code: 'UNAUTHENTICATED', message });
    socket.disconnect(true);
  }

  private stateOf(socket: Socket): SocketState {
    const state = this.state.get(socket);
    if (!state) throw new Error('socket without state');
    return state;
  }
}
