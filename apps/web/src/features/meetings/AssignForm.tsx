import { type FormEvent, useState } from 'react';
import { CreateActionItem } from '../../api/operations';
import type { Meeting } from '../../api/types';
import { ErrorMessage, errorText } from '../../app/components';
import { useMutation } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/**
 * A coordinator assigns an action item from the meeting. It is linked to a decision only when the
 * decision is recorded with it chosen (DecisionForm): nothing is attached unseen, and no assignee is preset.
 */
/** Today in the browser, YYYY-MM-DD: a due date before it is in the past. */
export const today = () => new Date().toLocaleDateString('en-CA');

export function AssignForm({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const create = useMutation(CreateActionItem);
  const agencies = [...new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency])).values()];
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState('');
  const [dueOn, setDueOn] = useState(() => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  const [done, setDone] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = assignee.split(':');
    const result = await create.run({
      input: {
        taskForceId: taskForce.id,
        meetingId: meeting.id,
        title: title.trim(),
        dueOn,
        assignee: kind === 'agency' ? { agencyId: id } : { memberId: id },
      },
    });
    if (result) {
      setTitle('');
      setDone(true);
      onChanged();
    }
  };
  const fieldError = (name: string) =>
    create.error?.field === name || create.error?.field === `input.${name}` ? errorText(create.error, t) : null;
  return (
    <form
      className="assign-form"
      onSubmit={(event) => void onSubmit(event)}
      onChange={() => setDone(false)}
      aria-labelledby="assign-title"
    >
      <h3 id="assign-title">{t('meeting.assign')}</h3>
      <label className="field">
        <span>{t('action.title')}</span>
        <input
          name="title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          aria-invalid={!!fieldError('title')}
        />
        {fieldError('title') && <span className="field-error">{fieldError('title')}</span>}
      </label>
      <label className="field">
        <span>{t('action.assignee')}</span>
        <select name="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} required>
          <option value="">{t('attendance.choose')}</option>
          {agencies.map((a) => (
            <option key={a.id} value={`agency:${a.id}`}>
              {t('action.assigneeAgency', { name: a.name })}
            </option>
          ))}
          {taskForce.members.map(({ member }) => (
            <option key={member.id} value={`member:${member.id}`}>
              {t('action.assigneeMember', { name: member.displayName })}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('action.dueOn')}</span>
        <input type="date" name="dueOn" value={dueOn} onChange={(e) => setDueOn(e.target.value)} required />
        {dueOn && dueOn < today() && <span className="field-warning">{t('action.pastDue')}</span>}
      </label>
      <button type="submit" disabled={create.pending || !title.trim() || !assignee}>
        {t('action.create')}
      </button>
      {create.error && !fieldError('title') && <ErrorMessage error={create.error} />}
      {done && (
        <p className="muted" role="status">
          {t('action.created')}
        </p>
      )}
    </form>
  );
}
