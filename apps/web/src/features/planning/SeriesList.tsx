import { Link, useNavigate } from 'react-router-dom';
import { MeetingPlanningQuery, ScheduleNextInSeries } from '../../api/operations';
import { Async, ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/** On the meetings page, for a coordinator: plan a meeting, and schedule the next meeting of each series. */
export function PlanningBar() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { taskForce, path } = useTaskForce();
  const planning = useQuery(MeetingPlanningQuery, { taskForceId: taskForce.id }, (e) => e.type.startsWith('meeting.'));
  const next = useMutation(ScheduleNextInSeries);
  return (
    <section className="card" aria-labelledby="series-title" data-testid="series-list">
      <p>
        <Link className="button" to={path('/meetings/new')}>
          {t('plan.title')}
        </Link>
      </p>
      <h2 id="series-title">{t('series.title')}</h2>
      <Async state={planning}>
        {({ meetingSeries }) =>
          meetingSeries.length === 0 ? (
            <p className="muted">{t('series.none')}</p>
          ) : (
            <ul className="plain-list">
              {meetingSeries.map((s) => (
                <li key={s.id} data-series-id={s.id}>
                  <strong>{s.title}</strong>{' '}
                  <span className="muted">
                    {s.cadence === 'WEEKLY'
                      ? t('series.weekly', {
                          every:
                            s.interval <= 4
                              ? t(`plan.every.${s.interval as 1}`)
                              : t('series.everyN', { n: s.interval }),
                          day: t(`plan.weekday.${s.weekday as 1}`),
                          time: s.startTime,
                        })
                      : t('series.monthly', {
                          nth: t(`plan.ordinal.${String(s.weekOfMonth ?? 1) as '1'}`),
                          day: t(`plan.weekday.${s.weekday as 1}`),
                          time: s.startTime,
                        })}
                  </span>{' '}
                  <button
                    type="button"
                    className="button-secondary small"
                    disabled={next.pending}
                    onClick={() =>
                      void next
                        .run({ seriesId: s.id })
                        .then((r) => r && navigate(path(`/meetings/${r.scheduleNextInSeries.id}`)))
                    }
                  >
                    {t('series.scheduleNext')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      <ErrorMessage error={next.error} />
    </section>
  );
}
