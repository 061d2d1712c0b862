import { useState } from 'react';
import { CheckIn, CheckOut } from '../../api/operations';
import type { AttendanceMode, Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useLiveState } from '../../app/live';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/** Who is in the room and how, who is connected, and one's own check-in and check-out. */
export function Attendance({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce, me } = useTaskForce();
  const { online } = useLiveState();
  const checkIn = useMutation(CheckIn);
  const checkOut = useMutation(CheckOut);
  const present = new Map(meeting.attendance.filter((a) => !a.leftAt).map((a) => [a.member.id, a]));
  const running = meeting.status === 'SCHEDULED' || meeting.status === 'LIVE';
  const mePresent = present.has(me.id);
  // Folded on a phone (the meeting's work comes first there), open where there is room.
  const [open, setOpen] = useState(() => !window.matchMedia('(max-width: 800px)').matches);
  const arrive = (mode: AttendanceMode) =>
    void checkIn.run({ meetingId: meeting.id, mode }).then((r) => r && onChanged());
  return (
    <section className="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t('meeting.attendance')}</h2>
      {running && (
        <div className="controls">
          {!mePresent ? (
            <>
              <button
                type="button"
                className="button-secondary"
                onClick={() => arrive('IN_PERSON')}
                disabled={checkIn.pending}
              >
                {t('meeting.checkInPerson')}
              </button>
              <button
                type="button"
                className="button-secondary"
                onClick={() => arrive('REMOTE')}
                disabled={checkIn.pending}
              >
                {t('meeting.checkInRemote')}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button-secondary"
              onClick={() => void checkOut.run({ meetingId: meeting.id }).then((r) => r && onChanged())}
              disabled={checkOut.pending}
            >
              {t('meeting.checkOut')}
            </button>
          )}
        </div>
      )}
      <ErrorMessage error={checkIn.error ?? checkOut.error} />
      <details
        className="attendance-details"
        open={open}
        onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary data-testid="attendance-summary">
          {t('meeting.attendanceSummary', { present: present.size, total: taskForce.members.length })}
        </summary>
        <ul className="attendance" data-testid="attendance">
          {taskForce.members.map(({ member }) => {
            const here = present.get(member.id);
            const connected = (online.get(member.id) ?? 0) > 0;
            return (
              <li key={member.id} data-member-id={member.id} data-present={!!here} data-connected={connected}>
                <span className={`dot ${connected ? 'on' : 'off'}`} aria-hidden="true" />
                <span className="name">{member.displayName}</span>
                <span className="muted small-text">
                  {member.agency.name}
                  {' · '}
                  {here ? `${t('meeting.present')} (${t(`meeting.mode.${here.mode}`)})` : t('meeting.absent')}
                  {connected && ` · ${t('meeting.connected')}`}
                </span>
              </li>
            );
          })}
        </ul>
      </details>
    </section>
  );
}
