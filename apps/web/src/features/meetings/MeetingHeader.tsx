import { useState } from 'react';
import { type ApiError } from '../../api/graphql';
import type { Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useI18n } from '../../i18n';
import { downloadMinutes } from './downloads';
import { MeetingStatusBadge } from './Meetings';

/** Title, time, place and call link, the status, and the minutes download (its error shows below). */
export function MeetingHeader({ meeting }: { meeting: Meeting }) {
  const { t, dateTime, locale } = useI18n();
  const download = (format: 'md' | 'pdf') => {
    setDownloadError(undefined);
    downloadMinutes(meeting.id, locale, format).catch((error: ApiError) => setDownloadError(error));
  };
  const [downloadError, setDownloadError] = useState<ApiError>();
  return (
    <>
      <header className="page-head">
        <div>
          <h1>{meeting.title}</h1>
          <p className="muted">
            {t('meeting.when', { start: dateTime(meeting.startsAt), end: dateTime(meeting.endsAt) })}
            {meeting.place && <> · {t('meeting.place', { place: meeting.place })}</>}
            {meeting.callLink && (
              <>
                {' · '}
                <a href={meeting.callLink} target="_blank" rel="noreferrer noopener">
                  {t('meeting.callLink')}
                </a>
              </>
            )}
          </p>
        </div>
        <div className="head-tools">
          <MeetingStatusBadge status={meeting.status} />
          <button type="button" className="button-secondary" onClick={() => download('md')}>
            {t('meeting.minutes')}
          </button>
          <button type="button" className="button-secondary" onClick={() => download('pdf')}>
            {t('meeting.minutesPdf')}
          </button>
        </div>
      </header>
      <ErrorMessage error={downloadError} />
    </>
  );
}
