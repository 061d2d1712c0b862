import { AdvanceAgenda, EndMeeting, StartMeeting } from '../../api/operations';
import type { Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation } from '../../app/hooks';
import { useI18n } from '../../i18n';

/** Start, next item and end: what a coordinator runs the meeting with. */
export function CoordinatorBar({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const start = useMutation(StartMeeting);
  const advance = useMutation(AdvanceAgenda);
  const end = useMutation(EndMeeting);
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
          <ConfirmButton
            label={t('meeting.end')}
            question={t('meeting.confirmEnd')}
            confirmLabel={t('meeting.confirmEndYes')}
            pending={end.pending}
            onConfirm={() => void end.run({ meetingId: meeting.id }).then(after)}
          />
        </>
      )}
      <ErrorMessage error={start.error ?? advance.error ?? end.error} />
    </div>
  );
}
