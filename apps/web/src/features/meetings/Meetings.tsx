import { Link } from 'react-router-dom';
import { MeetingsQuery } from '../../api/operations';
import type { MeetingStatus, MeetingSummary } from '../../api/types';
import { Async, Badge } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { PlanningBar } from '../planning/SeriesList';

const TONE: Record<MeetingStatus, string> = { SCHEDULED: 'info', LIVE: 'live', ENDED: 'neutral', CANCELLED: 'neutral' };

export function MeetingStatusBadge({ status }: { status: MeetingStatus }) {
  const { t } = useI18n();
  return (
    <Badge tone={TONE[status]}>
      <span data-testid="meeting-status" data-status={status}>
        {t(`meeting.status.${status}`)}
      </span>
    </Badge>
  );
}

export function MeetingLine({ meeting }: { meeting: MeetingSummary }) {
  const { dateTime, t } = useI18n();
  const { path } = useTaskForce();
  return (
    <li className="meeting-line">
      <Link to={path(`/meetings/${meeting.id}`)}>{meeting.title}</Link>
      <MeetingStatusBadge status={meeting.status} />
      <span className="muted">
        {t('meeting.when', { start: dateTime(meeting.startsAt), end: dateTime(meeting.endsAt) })}
      </span>
    </li>
  );
}

export function MeetingsPage() {
  const { t } = useI18n();
  const { taskForce, isCoordinator } = useTaskForce();
  const meetings = useQuery(MeetingsQuery, { taskForceId: taskForce.id, first: 100 }, (e) =>
    e.type.startsWith('meeting.'),
  );
  return (
    <section>
      <h1>{t('meeting.list')}</h1>
      {isCoordinator && <PlanningBar />}
      <Async state={meetings}>
        {({ meetings }) =>
          meetings.nodes.length === 0 ? (
            <p>{t('meeting.none')}</p>
          ) : (
            <ul className="plain-list">
              {[...meetings.nodes].reverse().map((m) => (
                <MeetingLine key={m.id} meeting={m} />
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}
