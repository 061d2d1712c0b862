import { useState } from 'react';
import { AdvanceAgenda, EndMeeting, OpenEndsQuery, StartMeeting } from '../../api/operations';
import type { Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useI18n } from '../../i18n';

/** Start, next item and end: what a coordinator runs the meeting with. */
export function CoordinatorBar({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const start = useMutation(StartMeeting);
  const advance = useMutation(AdvanceAgenda);
  const end = useMutation(EndMeeting);
  const [ending, setEnding] = useState(false);
  const last =
    meeting.agenda.length > 0 && meeting.currentAgendaItem?.id === meeting.agenda[meeting.agenda.length - 1].id;
  const after = (result: unknown) => result && onChanged();
  return (
    <div className="toolbar" role="group" aria-label={t('tf.role.COORDINATOR')}>
      {meeting.status === 'SCHEDULED' && (
        <button
          type="button"
          disabled={start.pending}
          onClick={() => void start.run({ meetingId: meeting.id }).then(after)}
        >
          {t('meeting.start')}
        </button>
      )}
      {meeting.status === 'LIVE' && (
        <>
          <button
            type="button"
            disabled={advance.pending || last}
            onClick={() => void advance.run({ meetingId: meeting.id }).then(after)}
          >
            {t('meeting.next')}
          </button>
          <button
            type="button"
            className="button-danger"
            disabled={end.pending || ending}
            onClick={() => setEnding(true)}
          >
            {t('meeting.end')}
          </button>
        </>
      )}
      {ending && meeting.status === 'LIVE' && (
        <EndConfirmation
          meetingId={meeting.id}
          pending={end.pending}
          onConfirm={() => void end.run({ meetingId: meeting.id }).then((r) => (setEnding(false), after(r)))}
          onCancel={() => setEnding(false)}
        />
      )}
      <ErrorMessage error={start.error ?? advance.error ?? end.error} />
    </div>
  );
}

/** Before ending: what is still open, so the coordinator can deal with it first. */
function EndConfirmation({
  meetingId,
  pending,
  onConfirm,
  onCancel,
}: {
  meetingId: string;
  pending: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const ends = useQuery(OpenEndsQuery, { id: meetingId });
  const open = ends.data?.meeting.openEnds;
  return (
    <div role="alertdialog" aria-labelledby="end-title" className="card confirm" data-testid="end-confirmation">
      <h2 id="end-title">{t('meeting.confirmEnd')}</h2>
      {open && (
        <>
          {open.unclaimedItems.length + open.decisionsWithoutFollowUp.length + open.agendaNotReached.length === 0 ? (
            <p>{t('end.nothingOpen')}</p>
          ) : (
            <ul data-testid="open-ends">
              {open.unclaimedItems.map((i) => (
                <li key={i.id}>{t('end.unclaimed', { title: i.title, agency: i.assigneeAgency?.name ?? '—' })}</li>
              ))}
              {open.decisionsWithoutFollowUp.map((d) => (
                <li key={d.id}>{t('end.noFollowUp', { text: d.text })}</li>
              ))}
              {open.agendaNotReached.map((a) => (
                <li key={a.id}>{t('end.notReached', { title: a.title })}</li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className="controls">
        <button type="button" className="button-danger" disabled={pending || !open} onClick={onConfirm}>
          {t('end.confirm')}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t('end.keepGoing')}
        </button>
      </div>
    </div>
  );
}
