import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import type { AgendaEntryProps } from './AgendaEntry';
import { TextForm } from './TextForm';

/** The minutes of one agenda item; members who write add to them while the item is current. */
export function AgendaNotes({ meeting, item, current, onChanged }: AgendaEntryProps) {
  const { t, dateTime } = useI18n();
  const { canWrite } = useTaskForce();
  const open = meeting.status !== 'CANCELLED' && meeting.status !== 'ENDED';
  const writing = canWrite && open && current;
  if (item.notes.length === 0 && !writing) return null;
  return (
    <div className="agenda-block">
      <h4>{t('meeting.notes')}</h4>
      <ul className="notes" data-testid="notes">
        {item.notes.map((note) => (
          <li key={note.id}>
            {note.text}{' '}
            <span className="muted">
              — {note.author.displayName}, {dateTime(note.createdAt)}
            </span>
          </li>
        ))}
      </ul>
      {writing && (
        <TextForm
          label={t('meeting.noteLabel', { title: item.title })}
          submit={t('meeting.addNote')}
          op="note"
          meetingId={meeting.id}
          agendaItemId={item.id}
          onDone={onChanged}
        />
      )}
    </div>
  );
}
