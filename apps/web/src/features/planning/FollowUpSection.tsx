import { Link } from 'react-router-dom';
import type { Meeting } from '../../api/types';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { assigneeName } from '../action-items/controls';

/** What a meeting of a series opens with: what the previous ones left open. */
export function FollowUpSection({ meeting }: { meeting: Meeting }) {
  const { t, date, dateTime } = useI18n();
  const { path } = useTaskForce();
  const { previous, unfinishedAgenda, decisionsDue, openActionItems, overdueActionItems } = meeting.followUp;
  if (!previous) return null;
  const empty =
    !unfinishedAgenda.length && !decisionsDue.length && !openActionItems.length && !overdueActionItems.length;
  const itemList = (items: typeof openActionItems, testId: string) => (
    <ul data-testid={testId}>
      {items.map((i) => (
        <li key={i.id} data-title={i.title}>
          <Link to={path(`/actions/${i.id}`)}>{i.title}</Link>{' '}
          <span className="muted">
            {assigneeName(i, t)} · {t('action.due', { date: date(i.dueOn) })}
            {i.overdue && ` · ${t('action.overdue')}`}
          </span>
        </li>
      ))}
    </ul>
  );
  return (
    <section className="card follow-up" aria-labelledby="follow-up-title" data-testid="follow-up">
      <h2 id="follow-up-title">{t('followUp.title')}</h2>
      <p className="muted">
        {t('followUp.from')} <Link to={path(`/meetings/${previous.id}`)}>{previous.title}</Link> ·{' '}
        {dateTime(previous.startsAt)}
      </p>
      {empty && <p>{t('followUp.nothing')}</p>}
      {unfinishedAgenda.length > 0 && (
        <>
          <h3>{t('followUp.unfinished')}</h3>
          <ul data-testid="follow-up-agenda">
            {unfinishedAgenda.map((a) => (
              <li key={a.id}>{a.title}</li>
            ))}
          </ul>
        </>
      )}
      {decisionsDue.length > 0 && (
        <>
          <h3>{t('followUp.decisions')}</h3>
          <ul data-testid="follow-up-decisions">
            {decisionsDue.map((d) => (
              <li key={d.id}>
                {d.text} <span className="muted">({t('decision.reviewOn', { date: date(d.reviewOn ?? '') })})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {openActionItems.length > 0 && (
        <>
          <h3>{t('followUp.items')}</h3>
          {itemList(openActionItems, 'follow-up-items')}
        </>
      )}
      {overdueActionItems.length > 0 && (
        <>
          <h3>{t('followUp.overdue')}</h3>
          {itemList(overdueActionItems, 'follow-up-overdue')}
        </>
      )}
    </section>
  );
}
