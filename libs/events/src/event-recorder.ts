import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { DomainEvent } from './domain-event.entity';
import { HubEventMap, HubEventType, SystemEventMap, SystemEventType } from './event-map';

/**
 * Domains record events here, inside their own transaction. The cursor comes from a per-task-force
 * counter row that stays locked until the transaction commits: a second writer waits, so cursors are
 * handed out in commit order, and a rolled-back transaction gives its number back. Record events last
 * in a transaction, after any other lock, so the counter is always the last lock taken.
 */
@Injectable()
export class EventRecorder {
  async record<T extends HubEventType>(
    em: EntityManager,
    event: { type: T; taskForceId: string; actorId: string | null; data: HubEventMap[T]; meetingId?: string | null },
  ): Promise<DomainEvent> {
    const connection = em.getConnection();
    const tx = em.getTransactionContext();
    if (!tx) throw new Error('EventRecorder.record must run inside a transaction');
    await connection.execute(
      'insert into event_cursor (task_force_id, last_cursor) values (?, 0) on conflict (task_force_id) do nothing',
      [event.taskForceId],
      'run',
      tx,
    );
    const row = await connection.execute<{ last_cursor: number }>(
      'update event_cursor set last_cursor = last_cursor + 1 where task_force_id = ? returning last_cursor',
      [event.taskForceId],
      'get',
      tx,
    );
    const cursor = Number(row.last_cursor);
    return em.create(DomainEvent, {
      taskForceId: event.taskForceId,
      cursor,
      type: event.type,
      actorId: event.actorId,
      meetingId: event.meetingId ?? null,
      data: event.data as unknown as Record<string, unknown>,
    });
  }

  /** A system event (a member disabled, a session ended): no task force, no cursor. */
  recordSystem<T extends SystemEventType>(
    em: EntityManager,
    type: T,
    data: SystemEventMap[T],
    actorId: string | null,
  ): DomainEvent {
    return em.create(DomainEvent, { type, actorId, data: data as unknown as Record<string, unknown> });
  }
}
