import { useState } from 'react';
import { CheckIn, CheckOut } from '../../api/operations';
import type { AttendanceMode, Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useLiveState } from '../../app/live';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/**
 * Who is in the room and how, who is connected, and one's own check-in and check-out; a coordinator
 * also checks others in or out. Once the meeting has ended it shows who attended, from the record.
 */
export function Attendance({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce, me, isCoordinator } = useTaskForce();
  const [other, setOther] = useState('');
  // Folded on a phone (the meeting's work comes first there), open where there is room.
  const [expanded, setExpanded] = useState(() => !window.matchMedia('(max-width: 800px)').matches);
  const { online } = useLiveState();
  const checkIn = useMutation(CheckIn);
  const checkOut = useMutation(CheckOut);
  const present = new Map(meeting.attendance.filter((a) => !a.leftAt).map((a) => [a.member.id, a]));
  const open = meeting.status === 'SCHEDULED' || meeting.status === 'LIVE';
  const mePresent = present.has(me.id);
  const arrive = (mode: AttendanceMode, memberId?: string) =>
    void checkIn.run({ meetingId: meeting.id, mode, memberId }).then((r) => r && onChanged());
  const leave = (memberId?: string) =>
    void checkOut.run({ meetingId: meeting.id, memberId }).then((r) => r && onChanged());
  // After the meeting: everyone with an attendance record attended, in the mode of their first arrival.
  const attended = new Map<string, AttendanceMode>();
  for (const a of meeting.attendance) if (!attended.has(a.member.id)) attended.set(a.member.id, a.mode);
  if (meeting.status === 'ENDED') {
    const absent = taskForce.members.filter(({ member }) => !attended.has(member.id));
    return (
      <section className="card" aria-labelledby="attendance-title">
        <h2 id="attendance-title">{t('meeting.attendance')}</h2>
        <p className="muted">{t('attendance.summary', { present: attended.size, absent: absent.length })}</p>
        <ul className="attendance" data-testid="attendance">
          {taskForce.members.map(({ member }) => {
            const mode = attended.get(member.id);
            return (
              <li key={member.id} data-member-id={member.id} data-attended={!!mode}>
                <span className="name">{member.displayName}</span>
                <span className="muted small-text">
                  {member.agency.name} ·{' '}
                  {mode ? t('attendance.attended', { mode: t(`meeting.mode.${mode}`) }) : t('attendance.wasAbsent')}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
    );
  }
  const absentNow = taskForce.members.filter(({ member }) => !present.has(member.id) && member.id !== me.id);
  return (
    <section className="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t('meeting.attendance')}</h2>
      {open && (
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
            <button type="button" className="button-secondary" onClick={() => leave()} disabled={checkOut.pending}>
              {t('meeting.checkOut')}
            </button>
          )}
        </div>
      )}
      {open && isCoordinator && (
        <div className="controls" data-testid="check-in-others">
          <label className="field">
            <span>{t('attendance.checkInOther')}</span>
            <select name="otherMember" value={other} onChange={(e) => setOther(e.target.value)}>
              <option value="">{t('attendance.choose')}</option>
              {absentNow.map(({ member }) => (
                <option key={member.id} value={member.id}>
                  {member.displayName}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button-secondary"
            disabled={!other || checkIn.pending}
            onClick={() => {
              arrive('IN_PERSON', other);
              setOther('');
            }}
          >
            {t('attendance.markPresent')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={!other || checkIn.pending}
            onClick={() => {
              arrive('REMOTE', other);
              setOther('');
            }}
          >
            {t('attendance.markRemote')}
          </button>
        </div>
      )}
      <ErrorMessage error={checkIn.error ?? checkOut.error} />
      <details
        className="attendance-details"
        open={expanded}
        onToggle={(e) => setExpanded((e.currentTarget as HTMLDetailsElement).open)}
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
                {open && isCoordinator && here && member.id !== me.id && (
                  <button
                    type="button"
                    className="button-secondary small"
                    disabled={checkOut.pending}
                    onClick={() => leave(member.id)}
                    aria-label={t('attendance.checkOutOther', { name: member.displayName })}
                  >
                    {t('attendance.correct')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </details>
    </section>
  );
}
