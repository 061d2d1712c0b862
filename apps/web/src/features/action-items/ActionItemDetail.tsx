import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { actionItemOf } from '../../api/live-events';
import { ActionItemQuery, CommentOnActionItem } from '../../api/operations';
import { Async, errorText } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { historySentence } from '../../app/sentences';
import { useSentenceContext } from '../../app/use-sentences';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ItemChanges } from '../follow-up/ItemChanges';
import { ActionItemControls, assigneeName, StatusBadge } from './controls';

export function ActionItemDetailPage() {
  const { actionItemId = '' } = useParams();
  const item = useQuery(ActionItemQuery, { id: actionItemId }, (e) => actionItemOf(e) === actionItemId);
  const { t, date, dateTime } = useI18n();
  const { path, canWrite } = useTaskForce();
  const sentences = useSentenceContext();
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
              <dt>{t('action.responsible')}</dt>
              <dd>{assigneeName(a, t)}</dd>
              <dt>{t('action.dueOn')}</dt>
              <dd className={a.overdue ? 'overdue-label' : undefined}>
                {date(a.dueOn)} {a.overdue && <strong>({t('action.overdue')})</strong>}
              </dd>
              <dt>{t('action.priority')}</dt>
              <dd>{t(`action.priority.${a.priority}`)}</dd>
              {a.meeting && (
                <>
                  <dt>{t('action.fromMeeting')}</dt>
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
          <ItemChanges item={a} onChanged={item.reload} />
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
                <li key={h.id} data-kind={h.kind}>
                  <span className="sentence">{historySentence(h, { ...sentences, caseSummary: a.caseSummary })}</span>{' '}
                  <time className="muted" dateTime={h.at}>
                    · {dateTime(h.at)}
                  </time>
                </li>
              ))}
            </ol>
          </section>
        </article>
      )}
    </Async>
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
            {errorText(comment.error, t, { text: t('action.comment') })}
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
