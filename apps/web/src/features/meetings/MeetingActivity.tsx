import { meetingOf } from '../../api/live-events';
import { useLive } from '../../app/live';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/** What happened live in this meeting since the page opened, each event once (by cursor). */
export function MeetingActivity({ meetingId }: { meetingId: string }) {
  const { t, dateTime } = useI18n();
  const { recent } = useLive();
  const { memberName } = useTaskForce();
  const mine = recent
    .filter((e) => meetingOf(e) === meetingId)
    .slice(-30)
    .reverse();
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">{t('live.activity')}</h2>
      {mine.length === 0 ? (
        <p className="muted">{t('live.noActivity')}</p>
      ) : (
        <ol className="activity" data-testid="activity">
          {mine.map((e) => (
            <li key={e.cursor} data-cursor={e.cursor} data-type={e.type}>
              <code>{e.type}</code>{' '}
              <span className="muted">
                {memberName(e.actorId)} · {dateTime(e.at)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
