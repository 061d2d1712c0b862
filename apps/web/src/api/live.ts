/**
 * The live connection of one task force, over the hub's public Socket.IO contract: the token in the
 * handshake, `room.join { taskForceId, after }`, every event under its type with a gap-free cursor.
 *
 * Nothing lost, nothing twice: the last cursor applied is kept; after any drop (network, server,
 * expired token) the room is joined again with `after: cursor`, the server replays what was missed
 * in order, and anything at or below the cursor is ignored.
 */
import type { ClientToServerEvents, JoinAck, PresenceAck, ServerToClientEvents } from '@hub/contracts';
import { io, type Socket } from 'socket.io-client';
import { session } from './session';
import type { LiveEnvelope } from './types';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'signedOut';

export interface LiveState {
  status: LiveStatus;
  cursor: number | null;
  /** memberId → open connections in the task force's room. */
  online: Map<string, number>;
}

export type EventListener = (event: LiveEnvelope) => void;
/** Called when the client must reload everything (first join, or the cursor was too old). */
export type ResyncListener = () => void;

export class LiveConnection {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private state: LiveState = { status: 'connecting', cursor: null, online: new Map() };
  private stateListeners = new Set<(state: LiveState) => void>();
  private eventListeners = new Set<EventListener>();
  private resyncListeners = new Set<ResyncListener>();
  private closed = false;
  private readonly onOffline = () => {
    // The browser says the network is gone: an open WebSocket may linger unnoticed for a long time,
    // so drop it now and show it; reconnection (with catch-up) starts when the network is back.
    this.update({ status: 'reconnecting' });
    this.socket.disconnect();
  };
  private readonly onOnline = () => {
    if (!this.closed && this.socket.disconnected) this.socket.connect();
  };

  constructor(readonly taskForceId: string) {
    this.socket = io({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4_000,
      auth: (cb) => {
        void session.freshToken().then((token) => cb({ token: token ?? '' }));
      },
    });
    this.socket.on('connect', () => void this.join());
    this.socket.on('disconnect', (reason) => {
      if (this.closed) return;
      this.update({ status: 'reconnecting', online: new Map() });
      // The server ended this socket (session.ended): reconnect by hand, with a fresh token.
      if (reason === 'io server disconnect') void this.reconnectAfterRefresh();
    });
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (this.closed) return;
      this.update({ status: 'reconnecting' });
      if (error.data?.code === 'UNAUTHENTICATED') void this.reconnectAfterRefresh();
      else if (!this.socket.active) setTimeout(this.onOnline, 3_000); // refused, not dropped: try again later
    });
    this.socket.on('session.ended', () => this.update({ status: 'reconnecting' }));
    this.socket.on('room.left', () => this.update({ status: 'signedOut' }));
    // One batch per room per interval (250 ms, longer in a large room): ask once for the counts rather than adding up the changes,
    // which may have been batched before this socket's own join answered.
    this.socket.on('presence.changed', (batch) => {
      if (batch.taskForceId === this.taskForceId && batch.meetingId === null && batch.changes.length)
        void this.refreshPresence();
    });
    this.socket.onAny((type: string, envelope: LiveEnvelope) => {
      // A member's own notification carries an inbox position, not the task force's cursor: applied
      // here it would move the cursor past events not yet seen, which would then be dropped as seen.
      // The inbox hears of it through myNotifications.
      if (type === 'notification.created') return;
      if (typeof envelope?.cursor === 'number' && type === envelope.type) this.apply(envelope);
    });
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    if (navigator.onLine) this.socket.connect();
    else this.update({ status: 'reconnecting' });
  }

  get current(): LiveState {
    return this.state;
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onResync(listener: ResyncListener): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private async join(): Promise<void> {
    const after = this.state.cursor;
    const ack: JoinAck = await this.socket
      .emitWithAck(
        'room.join',
        after === null ? { taskForceId: this.taskForceId } : { taskForceId: this.taskForceId, after },
      )
      .catch(() => ({ ok: false, error: { code: 'NETWORK_ERROR', message: '' } }));
    if (!ack.ok) {
      if (ack.error.code === 'CURSOR_EXPIRED') {
        // What we missed is older than the server keeps: reload everything, then follow from now.
        this.update({ cursor: null });
        return this.join();
      }
      if (ack.error.code === 'NOT_FOUND' || ack.error.code === 'FORBIDDEN') this.update({ status: 'signedOut' });
      return;
    }
    const first = after === null;
    this.update({ status: 'live', cursor: Math.max(this.state.cursor ?? 0, ack.cursor) });
    if (first) for (const listener of this.resyncListeners) listener();
    await this.refreshPresence();
  }

  private apply(envelope: LiveEnvelope): void {
    if (envelope.taskForceId !== this.taskForceId) return;
    if (this.state.cursor !== null && envelope.cursor <= this.state.cursor) return; // seen already
    this.update({ cursor: envelope.cursor });
    for (const listener of this.eventListeners) listener(envelope);
  }

  private async refreshPresence(): Promise<void> {
    if (!this.socket.connected) return;
    const ack: PresenceAck | null = await this.socket
      .emitWithAck('presence.get', { taskForceId: this.taskForceId })
      .catch(() => null);
    if (ack?.ok) this.update({ online: new Map(ack.members.map((m) => [m.memberId, m.connections])) });
  }

  private async reconnectAfterRefresh(): Promise<void> {
    const renewed = await session.refresh();
    if (this.closed) return;
    if (!renewed && !session.signedIn) return this.update({ status: 'signedOut' });
    setTimeout(
      () => {
        if (!this.closed && this.socket.disconnected && navigator.onLine) this.socket.connect();
      },
      renewed ? 0 : 2_000,
    );
  }

  private update(patch: Partial<LiveState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.stateListeners) listener(this.state);
  }
}
