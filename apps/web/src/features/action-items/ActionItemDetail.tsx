import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { actionItemOf } from '../../api/live-events';
import { ActionItemQuery, CommentOnActionItem } from '../../api/operations';
import type { ActionItemChange } from '../../api/types';
import { Async } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ItemChanges } from '../follow-up/ItemChanges';
import { ActionItemControls, assigneeName, StatusBadge } from './controls';

export function ActionItemDetailPage() {
  const { actionItemId = '' } = useParams();
  const item = useQuery(ActionItemQuery, { id: actionItemId }, (e) => actionItemOf(e) === actionItemId);
  const { t, date, dateTime } = useI18n();
  const { path, canWrite } = useTaskForce();
  return (
    <Async state={item}>
      {({ actionItem: a }) => (
        <article className="detail" data-testid="action-detail" data-status={a.status}>
          <p>
            <Link to={path('/actions')}>← {t('nav.actions')}</Link>
          </p>
          <header className="page-head">
            <h1>{a.title}</h1>
            <StatusBadge status={a.status} />
          </header>
          <section className="card">
            <h2>{t('action.details')}</h2>
            <dl className="facts">
              <dt>{t('action.assignee')}</dt>
              <dd>{assigneeName(a, t)}</dd>
              <dt>{t('action.dueOn')}</dt>
              <dd className={a.overdue ? 'overdue-label' : undefined}>
                {date(a.dueOn)} {a.overdue && <strong>({t('action.overdue')})</strong>}
              </dd>
              <dt>{t('action.priority')}</dt>
              <dd>{t(`action.priority.${a.priority}`)}</dd>
              {a.meeting && (
                <>
                  <dt>{t('nav.meetings')}</dt>
                  <dd>
                    <Link to={path(`/meetings/${a.meeting.id}`)}>{a.meeting.title}</Link>
                  </dd>
                </>
              )}
              {a.caseSummary && (
                <>
                  <dt>{t('nav.cases')}</dt>
                  <dd>
                    <Link to={path(`/cases/${a.caseSummary.id}`)}>{a.caseSummary.caseCode}</Link>
                  </dd>
                </>
              )}
              {a.blockedReason && (
                <>
                  <dt>{t('action.status.BLOCKED')}</dt>
                  <dd>{a.blockedReason}</dd>
                </>
              )}
            </dl>
            {a.description && <p className="prewrap">{a.description}</p>}
            <ActionItemControls item={a} onChanged={item.reload} />
          </section>
          <ItemChanges key={`${a.dueOn}-${a.updatedAt}`} item={a} onChanged={item.reload} />
          <section className="card" aria-labelledby="comments-title">
            <h2 id="comments-title">{t('action.comments')}</h2>
            <ul className="plain-list" data-testid="comments">
              {a.comments.map((c) => (
                <li key={c.id}>
                  <p className="prewrap">{c.text}</p>
                  <span className="muted">
                    {c.author.displayName} · {dateTime(c.createdAt)}
                  </span>
                </li>
              ))}
            </ul>
            {canWrite && <CommentForm id={a.id} onDone={item.reload} />}
          </section>
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">{t('action.history')}</h2>
            <ol className="plain-list" data-testid="history">
              {a.history.map((h) => (
                <li key={h.id}>
                  <HistoryLine change={h} /> <span className="muted">· {dateTime(h.at)}</span>
                </li>
              ))}
            </ol>
          </section>
        </article>
      )}
    </Async>
  );
}

const STATUSES = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED'] as const;
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
/** Changes whose values are shown; the others (ids of links, long text) are named without them. */
const SHOWN = ['status', 'assignee', 'dueOn', 'priority', 'title'];
const KINDS = ['status', 'assignee', 'dueOn', 'priority', 'title', 'description', 'caseSummary', 'decision'] as const;

/** One history entry in words: names, not the ids the history stores. */
function HistoryLine({ change }: { change: ActionItemChange }) {
  const { t, date } = useI18n();
  const { taskForce } = useTaskForce();
  const who = change.actor.displayName;
  if (change.kind === 'created') return <span>{t('history.created', { who })}</span>;
  if (change.kind === 'commented') return <span>{t('history.commented', { who })}</span>;
  const kind = KINDS.find((k) => k === change.kind);
  const what = kind ? t(`history.kind.${kind}`) : change.kind;
  const assignee = (value: { memberId?: string | null; agencyId?: string | null }) => {
    if (!value.memberId && !value.agencyId) return t('action.unassigned');
    const member = taskForce.members.find((m) => m.member.id === value.memberId)?.member;
    const agency = taskForce.members.find((m) => m.member.agency.id === value.agencyId)?.member.agency;
    return member?.displayName ?? agency?.name ?? t('history.formerAssignee');
  };
  const show = (json: string | null) => {
    if (json === null) return '—';
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      return json;
    }
    if (change.kind === 'assignee' && typeof value === 'object' && value !== null) return assignee(value);
    if (change.kind === 'dueOn' && typeof value === 'string') return date(value);
    const status = STATUSES.find((s) => s === value);
    if (change.kind === 'status' && status) return t(`action.status.${status}`);
    const priority = PRIORITIES.find((p) => p === value);
    if (change.kind === 'priority' && priority) return t(`action.priority.${priority}`);
    return String(value);
  };
  return (
    <span>
      {t('action.change', { who, what })}
      {SHOWN.includes(change.kind) && (
        <>
          : {show(change.before)} → {show(change.after)}
        </>
      )}
    </span>
  );
}

function CommentForm({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useI18n();
  const comment = useMutation(CommentOnActionItem);
  const [text, setText] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ((await comment.run({ id, text: text.trim() })) !== undefined) {
      setText('');
      onDone();
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} className="stack">
      <label className="field">
        <span>{t('action.comment')}</span>
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={3}
          required
          aria-invalid={!!comment.error}
          aria-describedby={comment.error ? 'comment-error' : undefined}
        />
        {comment.error && (
          <span id="comment-error" className="field-error" role="alert">
            {comment.error.message}
          </span>
        )}
      </label>
      <div>
        <button type="submit" disabled={comment.pending || !text.trim()}>
          {t('action.addComment')}
        </button>
      </div>
    </form>
  );
}
