import { type FormEvent, useState } from 'react';
import { AddMinuteNote } from '../../api/operations';
import { errorText } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useI18n } from '../../i18n';

/** A minutes note: one text box; the identifier screen's refusal appears under it. (Decisions: DecisionForm.) */
export function TextForm({
  label,
  submit,
  op,
  meetingId,
  agendaItemId,
  onDone,
}: {
  label: string;
  submit: string;
  op: 'note';
  meetingId: string;
  agendaItemId: string;
  onDone(): void;
}) {
  const { t } = useI18n();
  const mutation = useMutation(AddMinuteNote);
  const [text, setText] = useState('');
  const id = `${op}-${agendaItemId}`;
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const done = await mutation.run({ input: { meetingId, agendaItemId, text: text.trim() } });
    if (done) {
      setText('');
      onDone();
    }
  };
  return (
    <form className="inline-form" onSubmit={(event) => void onSubmit(event)}>
      <label className="field grow" htmlFor={id}>
        <span className="visually-hidden">{label}</span>
        <input
          id={id}
          value={text}
          placeholder={label}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={!!mutation.error}
          aria-describedby={mutation.error ? `${id}-error` : undefined}
        />
      </label>
      <button type="submit" disabled={mutation.pending || !text.trim()}>
        {submit}
      </button>
      {mutation.error && (
        <p id={`${id}-error`} className="field-error" role="alert" data-testid="field-error">
          {errorText(mutation.error, t, { text: label })}
        </p>
      )}
    </form>
  );
}
