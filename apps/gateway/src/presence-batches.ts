import type { PresenceChange, PresenceChanged } from '@hub/contracts';

/** The longest a room's presence change waits, and the shortest gap between two of its messages. */
export const PRESENCE_INTERVAL_MS = 250;

interface RoomBatch {
  taskForceId: string;
  meetingId: string | null;
  changes: PresenceChange[];
  timer: NodeJS.Timeout;
}

/**
 * Coalesces presence changes per room: telling everyone of every join made a mass join quadratic
 * (1,000 joins, about 500,000 messages). A room's first change goes out at once; what follows within
 * the interval waits and goes out as one list when it ends. Each instance batches its own sockets'
 * changes; the adapter carries each batch to every instance.
 */
export class PresenceBatches {
  private readonly rooms = new Map<string, RoomBatch>();
  private closed = false;

  constructor(
    private readonly send: (room: string, batch: PresenceChanged) => void,
    private readonly intervalMs = PRESENCE_INTERVAL_MS,
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
    return setTimeout(() => this.flush(room, true), this.intervalMs).unref();
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
