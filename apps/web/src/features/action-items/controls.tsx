import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { ChangeActionItemStatus, TakeActionItem } from '../../api/operations';
import type { ActionItemStatus, ActionItemSummary } from '../../api/types';
import { Badge, ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/** The workflow (libs/action-items): where each status may go next. */
export const NEXT: Record<ActionItemStatus, ActionItemStatus[]> = {
  OPEN: ['IN_PROGRESS', 'BLOCKED', 'CANCELLED'],
  IN_PROGRESS: ['DONE', 'BLOCKED', 'OPEN', 'CANCELLED'],
  BLOCKED: ['IN_PROGRESS', 'OPEN', 'CANCELLED'],
  DONE: ['OPEN'],
  CANCELLED: ['OPEN'],
};

export const STATUSES: ActionItemStatus[] = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED'];

const TONE: Record<ActionItemStatus, string> = {
  OPEN: 'info',
  IN_PROGRESS: 'progress',
  BLOCKED: 'warning',
  DONE: 'success',
  CANCELLED: 'neutral',
};

export function StatusBadge({ status }: { status: ActionItemStatus }) {
  const { t } = useI18n();
  return (
    <Badge tone={TONE[status]}>
      <span data-testid="action-status" data-status={status}>
        {t(`action.status.${status}`)}
      </span>
    </Badge>
  );
}

export function assigneeName(item: ActionItemSummary, t: ReturnType<typeof useI18n>['t']): string {
  if (item.assigneeMember) return item.assigneeMember.displayName;
  if (item.assigneeAgency) return item.assigneeAgency.name;
  return t('action.unassigned');
}

/** Take, and move along the workflow (asking why when blocking). */
export function ActionItemControls({ item, onChanged }: { item: ActionItemSummary; onChanged?: () => void }) {
  const { t } = useI18n();
  const { me, isCoordinator, canWrite } = useTaskForce();
  const take = useMutation(TakeActionItem);
  const change = useMutation(ChangeActionItemStatus);
  const [blocking, setBlocking] = useState(false);
  const [reason, setReason] = useState('');
  if (!canWrite) return null;

  const mine = item.assigneeMember?.id === me.id;
  const myAgencys = !item.assigneeMember && item.assigneeAgency?.id === me.agency.id;
  const open = item.status !== 'DONE' && item.status !== 'CANCELLED';
  // An agency's item is taken first (it becomes yours, in progress); then its owner moves it along.
  const mayChange = mine || isCoordinator;

  const move = async (status: ActionItemStatus, why?: string) => {
    const done = await change.run({ id: item.id, status, ...(why ? { reason: why } : {}) });
    if (done) {
      setBlocking(false);
      setReason('');
      onChanged?.();
    }
  };
  const submitBlock = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) void move('BLOCKED', reason.trim());
  };

  return (
    <div className="controls">
      {myAgencys && open && (
        <button
          type="button"
          disabled={take.pending}
          onClick={() => void take.run({ id: item.id }).then((r) => r && onChanged?.())}
        >
          {t('action.take')}
        </button>
      )}
      {mayChange &&
        NEXT[item.status].map((status) =>
          status === 'CANCELLED' ? (
            <ConfirmButton
              key={status}
              label={t('action.to.CANCELLED')}
              question={t('action.confirmCancel', { title: item.title })}
              confirmLabel={t('action.confirmCancelYes')}
              className="button-secondary"
              pending={change.pending}
              onConfirm={() => void move('CANCELLED')}
            />
          ) : status === 'BLOCKED' ? (
            <button
              key={status}
              type="button"
              className="button-secondary"
              aria-expanded={blocking}
              onClick={() => setBlocking((b) => !b)}
            >
              {t('action.to.BLOCKED')}
            </button>
          ) : (
            <button
              key={status}
              type="button"
              className={status === 'DONE' ? undefined : 'button-secondary'}
              disabled={change.pending}
              onClick={() => void move(status)}
            >
              {t(`action.to.${status}`)}
            </button>
          ),
        )}
      {blocking && (
        <form className="inline-form" onSubmit={submitBlock}>
          <label className="field">
            <span>{t('action.reason')}</span>
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              aria-invalid={change.error?.field === 'reason'}
            />
          </label>
          <button type="submit" disabled={change.pending || !reason.trim()}>
            {t('action.confirmBlock')}
          </button>
        </form>
      )}
      <ErrorMessage error={take.error ?? change.error} />
    </div>
  );
}

/** One item in a list: title, who, when, status, and what you can do with it. */
export function ActionItemCard({
  item,
  onChanged,
  compact,
}: {
  item: ActionItemSummary;
  onChanged?: () => void;
  compact?: boolean;
}) {
  const { t, date } = useI18n();
  const { path } = useTaskForce();
  return (
    <article
      className={`item-card${item.overdue ? ' overdue' : ''}`}
      data-testid="action-item"
      data-title={item.title}
      data-status={item.status}
    >
      <div className="item-head">
        <Link to={path(`/actions/${item.id}`)} className="item-title">
          {item.title}
        </Link>
        <StatusBadge status={item.status} />
      </div>
      <p className="item-meta">
        <span>{t('action.assignedTo', { name: assigneeName(item, t) })}</span>
        <span className={item.overdue ? 'overdue-label' : undefined}>
          {item.overdue && <strong>{t('action.overdue')}: </strong>}
          {t('action.due', { date: date(item.dueOn) })}
        </span>
        {item.priority !== 'NORMAL' && <span>{t(`action.priority.${item.priority}`)}</span>}
      </p>
      {item.blockedReason && <p className="item-meta">{t('action.blockedBecause', { reason: item.blockedReason })}</p>}
      {!compact && <ActionItemControls item={item} onChanged={onChanged} />}
    </article>
  );
}
