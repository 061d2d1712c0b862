import type { PresenceChange, PresenceChanged } from '@hub/contracts';

/** The shortest gap between two presence messages of a room, whatever its size. */
export const PRESENCE_INTERVAL_MS = 250;
/**
 * Each socket of the room adds this much to the gap, so a room's presence costs at most about
 * 1 ÷ 10 ms = 100 messages a second per instance, whatever its size: a mass join of N sockets that
 * takes T seconds costs about N + 100 × T messages (a few per socket), not N × 4 × T as a fixed
 * 250 ms did. 4 ms was tried: under a load of 15 on 2 cores 1,000 joins took 46 s and cost 11 per socket.
 */
export const PRESENCE_MS_PER_SOCKET = 10;
/** The longest gap (reached at 3,000 sockets on one instance): a large room still hears of changes. */
export const PRESENCE_MAX_INTERVAL_MS = 30_000;

export interface PresencePacing {
  minMs: number;
  perSocketMs: number;
  maxMs: number;
}

export const PRESENCE_PACING: PresencePacing = {
  minMs: PRESENCE_INTERVAL_MS,
  perSocketMs: PRESENCE_MS_PER_SOCKET,
  maxMs: PRESENCE_MAX_INTERVAL_MS,
};

/** How long a room of `sockets` waits after a presence message before its next one. */
export function presenceInterval(sockets: number, pacing: PresencePacing = PRESENCE_PACING): number {
  return Math.min(pacing.maxMs, Math.max(pacing.minMs, sockets * pacing.perSocketMs));
}

interface RoomBatch {
  taskForceId: string;
  meetingId: string | null;
  changes: PresenceChange[];
  timer: NodeJS.Timeout;
}

/**
 * Coalesces presence changes per room: telling everyone of every join made a mass join quadratic
 * (1,000 joins, about 500,000 messages). A room's first change goes out at once; what follows waits
 * and goes out as one list when the room's interval ends. The interval grows with the room (see
 * PRESENCE_MS_PER_SOCKET), so the messages of a mass join grow with the sockets, not with their
 * square. Each instance batches its own sockets' changes, paced by its own share of the room; the
 * adapter carries each batch to every instance.
 */
export class PresenceBatches {
  private readonly rooms = new Map<string, RoomBatch>();
  private closed = false;

  /** `size(room)`: the room's sockets on this instance, read when a message has gone out. */
  constructor(
    private readonly send: (room: string, batch: PresenceChanged) => void,
    private readonly size: (room: string) => number,
    private readonly pacing: PresencePacing = PRESENCE_PACING,
  ) {}

  add(room: string, target: { taskForceId: string; meetingId?: string }, change: PresenceChange): void {
    const pending = this.rooms.get(room);
    if (pending) return void pending.changes.push(change);
    const meetingId = target.meetingId ?? null;
    this.send(room, { taskForceId: target.taskForceId, meetingId, changes: [change] });
    // Shutting down: no more waiting, as before batching.
    if (this.closed) return;
    this.rooms.set(room, { taskForceId: target.taskForceId, meetingId, changes: [], timer: this.wait(room) });
  }

  /** Sends what waits now and stops batching (the process is closing; nothing may be left on a timer). */
  close(): void {
    this.closed = true;
    for (const room of [...this.rooms.keys()]) this.flush(room, false);
  }

  private wait(room: string): NodeJS.Timeout {
    return setTimeout(() => this.flush(room, true), presenceInterval(this.size(room), this.pacing)).unref();
  }

  /** Sends the room's waiting changes; with none, the room is quiet again and its next change goes out at once. */
  private flush(room: string, rearm: boolean): void {
    const batch = this.rooms.get(room);
    if (!batch) return;
    clearTimeout(batch.timer);
    if (!batch.changes.length) return void this.rooms.delete(room);
    const { taskForceId, meetingId, changes } = batch;
    this.send(room, { taskForceId, meetingId, changes });
    batch.changes = [];
    if (rearm) batch.timer = this.wait(room);
    else this.rooms.delete(room);
  }
}
