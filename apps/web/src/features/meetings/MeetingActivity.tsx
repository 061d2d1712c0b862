import { meetingOf } from '../../api/live-events';
import type { AgendaItem } from '../../api/types';
import { useLive } from '../../app/live';
import { eventSentence } from '../../app/sentences';
import { useSentenceContext } from '../../app/use-sentences';
import { useI18n } from '../../i18n';

/** What happened live in this meeting since the page opened, each event once (by cursor), as sentences. */
export function MeetingActivity({ meetingId, agenda }: { meetingId: string; agenda: readonly AgendaItem[] }) {
  const { t, dateTime } = useI18n();
  const { recent } = useLive();
  const context = useSentenceContext(agenda);
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
              <span className="sentence">{eventSentence(e, context)}</span>{' '}
              <time className="muted" dateTime={e.at}>
                {dateTime(e.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
