import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { NotificationKind, NotificationPayload, NotificationSubject } from '@hub/contracts';
import { Metrics } from '@hub/core';
import { type EventQueue } from '@hub/events';
import { Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { Notification } from './notification.entity';

export interface NotificationDraft {
  taskForceId: string;
  kind: NotificationKind;
  subjectType: NotificationSubject;
  subjectId: string;
  urgent?: boolean;
  /** Member ids; duplicates are dropped. */
  to: string[];
  /** Whoever caused it is not told of it. */
  except?: string | null;
}

export function toPayload(row: Notification): NotificationPayload {
  return {
    id: row.id,
    memberId: row.member.id,
    taskForceId: row.taskForce.id,
    kind: row.kind,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    urgent: row.urgent,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * Writes inbox rows inside the caller's transaction and queues one system event per row, so every
 * instance pushes it to the member's live connections once the transaction has committed.
 */
@Injectable()
export class Notifier {
  constructor(private readonly metrics: Metrics) {}

  async write(
    em: EntityManager,
    queue: Pick<EventQueue, 'recordSystem'>,
    draft: NotificationDraft,
    at: Date,
  ): Promise<Notification[]> {
    const to = [...new Set(draft.to)].filter((id) => id !== draft.except);
    if (!to.length) return [];
    const rows = to.map((memberId) =>
      em.create(Notification, {
        member: em.getReference(Member, memberId),
        taskForce: em.getReference(TaskForce, draft.taskForceId),
        kind: draft.kind,
        subjectType: draft.subjectType,
        subjectId: draft.subjectId,
        urgent: draft.urgent ?? false,
        createdAt: at,
        readAt: null,
      }),
    );
    // The ids are the inbox positions the live events carry.
    await em.flush();
    for (const row of rows) queue.recordSystem('notification.created', toPayload(row), null);
    this.metrics.notificationsCreated.inc({ kind: draft.kind }, rows.length);
    return rows;
  }
}
