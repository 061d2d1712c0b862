import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { ActionItemPriority } from '../../api/generated';
import { CreateActionItem, MeetingPlanningQuery, MeetingsQuery } from '../../api/operations';
import { ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { today } from '../meetings/AssignForm';

const PRIORITIES: ActionItemPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];

/**
 * The full action-item form outside a meeting. Members assign themselves or their agency; coordinators
 * anyone. The assignee is always chosen, never preset; a date in the past is warned about.
 */
export function NewActionItemPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { taskForce, me, isCoordinator, path } = useTaskForce();
  const create = useMutation(CreateActionItem);
  const planning = useQuery(MeetingPlanningQuery, { taskForceId: taskForce.id });
  const meetings = useQuery(MeetingsQuery, { taskForceId: taskForce.id, first: 100 });
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<ActionItemPriority>('NORMAL');
  const [assignee, setAssignee] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [caseSummaryId, setCaseSummaryId] = useState(params.get('case') ?? '');
  const [meetingId, setMeetingId] = useState(params.get('meeting') ?? '');
  const agencies = [...new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency])).values()].filter(
    (a) => isCoordinator || a.id === me.agency.id,
  );
  const people = taskForce.members.filter(({ member }) => isCoordinator || member.id === me.id);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = assignee.split(':');
    const done = await create.run({
      input: {
        taskForceId: taskForce.id,
        title: title.trim(),
        description: description.trim() || null,
        priority,
        dueOn,
        assignee: kind === 'agency' ? { agencyId: id } : { memberId: id },
        caseSummaryId: caseSummaryId || null,
        meetingId: meetingId || null,
      },
    });
    if (done) void navigate(path(`/actions/${done.createActionItem.id}`));
  };
  const fieldError = (name: string) =>
    create.error && (create.error.field === name || create.error.field?.startsWith(`${name}.`))
      ? create.error.message
      : null;
  return (
    <section data-testid="new-action-item">
      <h1>{t('item.new')}</h1>
      <form className="card stack" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('action.title')}</span>
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} required />
          {fieldError('title') && <span className="field-error">{fieldError('title')}</span>}
        </label>
        <label className="field">
          <span>{t('action.description')}</span>
          <textarea name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
          {fieldError('description') && <span className="field-error">{fieldError('description')}</span>}
        </label>
        <div className="row">
          <label className="field">
            <span>{t('action.assignee')}</span>
            <select name="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} required>
              <option value="">{t('attendance.choose')}</option>
              {agencies.map((a) => (
                <option key={a.id} value={`agency:${a.id}`}>
                  {t('action.assigneeAgency', { name: a.name })}
                </option>
              ))}
              {people.map(({ member }) => (
                <option key={member.id} value={`member:${member.id}`}>
                  {t('action.assigneeMember', { name: member.displayName })}
                </option>
              ))}
            </select>
            {fieldError('assignee') && <span className="field-error">{fieldError('assignee')}</span>}
          </label>
          <label className="field">
            <span>{t('action.dueOn')}</span>
            <input type="date" name="dueOn" value={dueOn} onChange={(e) => setDueOn(e.target.value)} required />
            {dueOn && dueOn < today() && <span className="field-warning">{t('action.pastDue')}</span>}
          </label>
          <label className="field">
            <span>{t('action.priority')}</span>
            <select
              name="priority"
              value={priority}
              onChange={(e) => setPriority(e.target.value as ActionItemPriority)}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`action.priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>{t('agenda.case')}</span>
            <select name="caseSummaryId" value={caseSummaryId} onChange={(e) => setCaseSummaryId(e.target.value)}>
              <option value="">—</option>
              {(planning.data?.caseSummaries ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.caseCode}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('nav.meetings')}</span>
            <select name="meetingId" value={meetingId} onChange={(e) => setMeetingId(e.target.value)}>
              <option value="">—</option>
              {(meetings.data?.meetings.nodes ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div>
          <button type="submit" disabled={create.pending || !title.trim() || !assignee || !dueOn}>
            {t('item.create')}
          </button>
        </div>
        {create.error && !['title', 'description', 'assignee'].some((f) => fieldError(f)) && (
          <ErrorMessage error={create.error} />
        )}
      </form>
    </section>
  );
}
