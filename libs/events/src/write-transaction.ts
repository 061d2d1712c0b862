import { type EntityClass, EntityManager, type FilterQuery } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { busyWithOtherWrites, isRetryableConflict, Metrics } from '@hub/core';
import { DomainEvent } from './domain-event.entity';
import { type HubEventMap, type HubEventType, type SystemEventMap, type SystemEventType } from './event-map';

export interface NewEvent<T extends HubEventType = HubEventType> {
  type: T;
  taskForceId: string;
  actorId: string | null;
  data: HubEventMap[T];
  meetingId?: string | null;
}

/** What a write hands back to be recorded once its own changes are written. */
export interface EventQueue {
  record<T extends HubEventType>(event: NewEvent<T>): void;
  /** A system event (a member disabled, a session ended): no task force, no cursor. */
  recordSystem<T extends SystemEventType>(type: T, data: SystemEventMap[T], actorId: string | null): void;
}

export interface RetryPolicy {
  attempts: number;
  /** Upper bound of the first wait; it doubles with each attempt, and each wait is drawn at random below it. */
  baseDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 8 };

/**
 * Every write runs here, as one transaction with its events recorded in the outbox.
 *
 * The lock order is fixed by structure, not by comments. `work` makes its changes and queues its events;
 * nothing it can call claims a cursor. Then the unit of work is flushed, so every INSERT, UPDATE and
 * DELETE (and the foreign-key locks they take) is done; only then is the task force's counter row
 * claimed, with one upsert per task force, and the outbox rows are inserted (they reference nothing, so
 * they take no other lock). COMMIT follows at once. The counter row, which every writer of a task force
 * waits for, is therefore always the last lock taken and is held only for those two statements: a
 * transaction holding it never waits for a domain row, so no cycle can include it.
 *
 * A deadlock or serialization failure that can still happen between domain rows rolls the attempt back
 * whole (its events with it) and it runs again, with a fresh identity map, after a short random wait.
 * When the attempts run out the caller gets SERVICE_UNAVAILABLE, retryable, never an internal error.
 */
@Injectable()
export class WriteTransaction {
  constructor(
    private readonly em: EntityManager,
    private readonly metrics: Metrics,
  ) {}

  retry: RetryPolicy = DEFAULT_RETRY;

  async run<R>(work: (em: EntityManager, events: EventQueue) => Promise<R>): Promise<R> {
    // Inside another write the outer one owns the transaction, the events and the retry.
    if (this.em.getTransactionContext()) throw new Error('WriteTransaction.run does not nest: pass the em instead');
    for (let attempt = 1; ; attempt++) {
      try {
        // clear: each attempt starts from the database, not from what a rolled-back attempt changed.
        return await this.em.transactional((em) => this.attempt(em, work), { clear: true });
      } catch (error) {
        if (!isRetryableConflict(error)) throw error;
        if (attempt >= this.retry.attempts) {
          this.metrics.writeConflicts.inc({ outcome: 'exhausted' });
          throw busyWithOtherWrites();
        }
        this.metrics.writeConflicts.inc({ outcome: 'retried' });
        await sleep(Math.random() * this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async attempt<R>(em: EntityManager, work: (em: EntityManager, events: EventQueue) => Promise<R>): Promise<R> {
    const events: NewEvent[] = [];
    const system: { type: SystemEventType; data: unknown; actorId: string | null }[] = [];
    let open = true;
    const queue: EventQueue = {
      record: (event) => {
        if (!open) throw new Error('An event was recorded after its transaction had written its changes');
        events.push(event as NewEvent);
      },
      recordSystem: (type, data, actorId) => {
        if (!open) throw new Error('An event was recorded after its transaction had written its changes');
        system.push({ type, data, actorId });
      },
    };
    const result = await work(em, queue);
    open = false;
    await em.flush();
    const rows = [...(await this.claimCursors(em, events)), ...system.map((s) => outboxRow(s.type, s.data, s.actorId))];
    if (rows.length) await em.insertMany(DomainEvent, rows);
    return result;
  }

  /**
   * One upsert per task force claims as many cursors as it has events, in a fixed order of task forces
   * (a write that touches two can never wait for a writer that holds the other's row first).
   */
  private async claimCursors(em: EntityManager, events: NewEvent[]): Promise<Partial<DomainEvent>[]> {
    const byTaskForce = new Map<string, NewEvent[]>();
    for (const event of events)
      byTaskForce.set(event.taskForceId, [...(byTaskForce.get(event.taskForceId) ?? []), event]);
    const rows: Partial<DomainEvent>[] = [];
    for (const taskForceId of [...byTaskForce.keys()].sort()) {
      const batch = byTaskForce.get(taskForceId)!;
      const claimed = await em
        .getConnection()
        .execute<{ last_cursor: number }>(
          'insert into event_cursor (task_force_id, last_cursor) values (?, ?) on conflict (task_force_id) ' +
            'do update set last_cursor = event_cursor.last_cursor + excluded.last_cursor returning last_cursor',
          [taskForceId, batch.length],
          'get',
          em.getTransactionContext(),
        );
      const first = Number(claimed.last_cursor) - batch.length + 1;
      batch.forEach((event, i) =>
        rows.push({
          ...outboxRow(event.type, event.data, event.actorId),
          taskForceId,
          cursor: first + i,
          meetingId: event.meetingId ?? null,
        }),
      );
    }
    return rows;
  }
}

function outboxRow(type: string, data: unknown, actorId: string | null): Partial<DomainEvent> {
  return {
    type,
    actorId,
    data: data as Record<string, unknown>,
    at: new Date(),
    taskForceId: null,
    cursor: null,
    meetingId: null,
    publishedAt: null,
  };
}

/**
 * Loads one row and holds it for writing until the transaction ends, so that two writers of the same
 * meeting or item queue up instead of both acting on what they read. FOR NO KEY UPDATE, not FOR UPDATE:
 * an INSERT that merely references the row (a note on a meeting, a comment on an item; its foreign-key
 * check takes FOR KEY SHARE) is not held up behind the lock, only other writers of the row are. SQLite
 * serialises writers anyway.
 */
export async function findForWrite<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
): Promise<T | null> {
  if (em.getPlatform() instanceof PostgreSqlPlatform) {
    const meta = em.getMetadata().get(entity.name);
    const column = meta.properties[meta.primaryKeys[0]].fieldNames[0];
    await em
      .getConnection()
      .execute(
        `select 1 from "${meta.tableName}" where "${column}" = ? for no key update`,
        [id],
        'all',
        em.getTransactionContext(),
      );
  }
  // refresh: what was committed before the lock was granted, not an earlier read of this transaction.
  return em.findOne(entity, { id } as FilterQuery<T>, { refresh: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
