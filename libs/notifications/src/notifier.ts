import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { TASK_FORCE_PERMISSIONS, type TaskForcePermission, type TaskForceRole } from '@hub/access';
import type { NotificationKind, NotificationPayload, NotificationSubject } from '@hub/contracts';
import { Metrics } from '@hub/core';
import { type EventQueue } from '@hub/events';
import { Member } from '@hub/identity';
import { TaskForce } from '@hub/task-forces';
import { Notification } from './notification.entity';
import { TaskForceRecipients } from './recipients';

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

/** What a member must be allowed to read to be told of a subject: the access table decides, not this file. */
const READ: Record<NotificationSubject, TaskForcePermission> = {
  actionItem: 'actionItem.read',
  meeting: 'meeting.read',
  decision: 'meeting.read',
  taskForce: 'taskForce.read',
  // Row rules on top (the receiver's agency, the owners) are the drafts' recipients: see reminder-sweep.ts.
  referral: 'referral.read',
  hearing: 'hearing.read',
  webhook: 'serviceAccount.manage',
};

export function mayBeToldOf(subject: NotificationSubject, role: TaskForceRole): boolean {
  return (TASK_FORCE_PERMISSIONS[READ[subject]] as readonly TaskForceRole[]).includes(role);
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
    people: TaskForceRecipients = new TaskForceRecipients(em, draft.taskForceId),
  ): Promise<Notification[]> {
    // Members now, with their roles: anyone else named in the draft is dropped.
    const roles = new Map((await people.all()).map((r) => [r.memberId, r.role]));
    const to = [...new Set(draft.to)].filter((id) => {
      const role = roles.get(id);
      return id !== draft.except && role !== undefined && mayBeToldOf(draft.subjectType, role);
    });
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
