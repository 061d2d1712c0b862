import { useParams } from 'react-router-dom';
import { meetingOf } from '../../api/live-events';
import { MeetingQuery } from '../../api/operations';
import type { LiveEnvelope, Meeting } from '../../api/types';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { AgendaList } from './AgendaList';
import { Attendance } from './Attendance';
import { CoordinatorBar } from './CoordinatorBar';
import { MeetingActionItems } from './MeetingActionItems';
import { MeetingActivity } from './MeetingActivity';
import { MeetingHeader } from './MeetingHeader';
import { MeetingHearings } from './MeetingHearings';
import { FollowUpSection } from '../planning/FollowUpSection';
import { Preparation } from '../planning/Preparation';

function aboutMeeting(meetingId: string) {
  return (event: LiveEnvelope) => meetingOf(event) === meetingId;
}

export function MeetingPage() {
  const { meetingId = '' } = useParams();
  const meeting = useQuery(MeetingQuery, { id: meetingId }, aboutMeeting(meetingId));
  return <Async state={meeting}>{({ meeting: m }) => <LiveMeeting meeting={m} reload={meeting.reload} />}</Async>;
}

/** The meeting board: reloaded whenever a live event about this meeting arrives. */
function LiveMeeting({ meeting, reload }: { meeting: Meeting; reload(): void }) {
  const { t, dateTime } = useI18n();
  const { isCoordinator } = useTaskForce();
  return (
    <div className="meeting" data-testid="meeting" data-status={meeting.status}>
      <MeetingHeader meeting={meeting} />
      {/* Nothing to run once it has ended or been cancelled: no empty toolbar. */}
      {isCoordinator && (meeting.status === 'SCHEDULED' || meeting.status === 'LIVE') && (
        <CoordinatorBar meeting={meeting} onChanged={reload} />
      )}
      {meeting.endedAt && <p className="muted">{t('meeting.ended', { at: dateTime(meeting.endedAt) })}</p>}
      {meeting.cancelledAt && (
        <p className="muted">{t('meeting.cancelledBecause', { reason: meeting.cancelReason ?? '—' })}</p>
      )}
      <FollowUpSection meeting={meeting} />
      {isCoordinator && meeting.status === 'SCHEDULED' && <Preparation meeting={meeting} onChanged={reload} />}

      <div className="meeting-grid">
        <AgendaList meeting={meeting} onChanged={reload} />
        {/* In reading (and keyboard) order: on a phone, one column, the agenda with the current item,
            then the action items and the assign form, then attendance (folded), then the activity. */}
        <div className="side">
          <MeetingActionItems meeting={meeting} onChanged={reload} />
          <MeetingHearings meeting={meeting} />
          <Attendance meeting={meeting} onChanged={reload} />
          <MeetingActivity meetingId={meeting.id} agenda={meeting.agenda} />
        </div>
      </div>
    </div>
  );
}
