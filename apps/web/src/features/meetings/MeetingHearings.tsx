import type { Meeting } from '../../api/types';
import { useI18n } from '../../i18n';

/**
 * The task force's hearings in the 14 days from the meeting's start, for the agenda: the court, the
 * time, the kind and how ready it is. No case text and nothing about the victim: the meeting's room
 * may include agencies that do not read the case.
 */
export function MeetingHearings({ meeting }: { meeting: Meeting }) {
  const { t, dateTime } = useI18n();
  const hearings = meeting.upcomingHearings;
  return (
    <section className="card" aria-labelledby="hearings-title" data-testid="meeting-hearings">
      <h2 id="hearings-title">{t('hearing.upcoming')}</h2>
      {hearings.length === 0 ? (
        <p className="muted">{t('app.none')}</p>
      ) : (
        <ul className="stack">
          {hearings.map((h) => {
            const open = h.checklist.filter((i) => i.state === 'OPEN').length;
            return (
              <li key={h.id} data-testid="meeting-hearing" data-ready={h.ready}>
                <strong>{dateTime(h.startsAt)}</strong> · {h.court} · {t(`hearing.kind.${h.kind}`)}
                <br />
                <span className={h.ready ? undefined : 'muted'}>
                  {h.ready ? t('hearing.ready') : t('hearing.openItems', { open, total: h.checklist.length })}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
