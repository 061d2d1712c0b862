import { type FormEvent, useState } from 'react';
import { CorrectMinuteNote } from '../../api/operations';
import type { MinuteNote } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import type { AgendaEntryProps } from './AgendaEntry';
import { TextForm } from './TextForm';

/** The minutes of one agenda item; members who write add to them while the item is current. */
export function AgendaNotes({ meeting, item, current, onChanged }: AgendaEntryProps) {
  const { t, dateTime } = useI18n();
  const { canWrite, me } = useTaskForce();
  const open = meeting.status !== 'CANCELLED' && meeting.status !== 'ENDED';
  const writing = canWrite && open && current;
  if (item.notes.length === 0 && !writing) return null;
  return (
    <div className="agenda-block">
      <h4>{t('meeting.notes')}</h4>
      <ul className="notes" data-testid="notes">
        {item.notes.map((note) => (
          <li key={note.id} data-note-id={note.id}>
            {meeting.status === 'LIVE' && note.author.id === me.id ? (
              <CorrectableNote note={note} onChanged={onChanged} />
            ) : (
              note.text
            )}{' '}
            <span className="muted">
              — {note.author.displayName}, {dateTime(note.createdAt)}
              {note.correctedAt && ` · ${t('note.corrected', { at: dateTime(note.correctedAt) })}`}
            </span>
            {note.history.length > 0 && (
              <details className="small-text">
                <summary>{t('note.history')}</summary>
                <ol>
                  {note.history.map((h) => (
                    <li key={h.replacedAt}>
                      <s>{h.text}</s> <span className="muted">({dateTime(h.replacedAt)})</span>
                    </li>
                  ))}
                </ol>
              </details>
            )}
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

/** The author's own note while the meeting runs: corrected in place, the earlier text kept in its history. */
function CorrectableNote({ note, onChanged }: { note: MinuteNote; onChanged(): void }) {
  const { t } = useI18n();
  const correct = useMutation(CorrectMinuteNote);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(note.text);
  if (!editing)
    return (
      <>
        {note.text}{' '}
        <button type="button" className="button-secondary small" onClick={() => setEditing(true)}>
          {t('note.correct')}
        </button>
      </>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await correct.run({ input: { noteId: note.id, text: text.trim() } })) {
      setEditing(false);
      onChanged();
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label className="field grow">
        <span className="visually-hidden">{t('note.correct')}</span>
        <input name="correction" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" disabled={correct.pending || !text.trim()}>
        {t('app.save')}
      </button>
      <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
        {t('app.cancel')}
      </button>
      <ErrorMessage error={correct.error} />
    </form>
  );
}
