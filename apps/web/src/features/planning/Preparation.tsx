import { type FormEvent, useState } from 'react';
import {
  AddAgendaItem,
  CancelMeeting,
  EditMeeting,
  MeetingPlanningQuery,
  RemoveAgendaItem,
  ReorderAgenda,
  SaveAgendaTemplate,
  UpdateAgendaItem,
} from '../../api/operations';
import type { AgendaItem, Meeting } from '../../api/types';
import { ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

/** A datetime-local field's value for an instant, in the browser's zone. */
function localValue(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Preparing a scheduled meeting, for its coordinator: the details, the agenda (add, edit, remove, and
 * reorder with buttons, so the keyboard does everything a mouse does), saving it as a template, cancelling.
 */
export function Preparation({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  return (
    <section className="card stack" aria-labelledby="prep-title" data-testid="preparation">
      <h2 id="prep-title">{t('prep.title')}</h2>
      <DetailsForm meeting={meeting} onChanged={onChanged} />
      <AgendaEditor meeting={meeting} onChanged={onChanged} />
      <TemplateForm meeting={meeting} />
      <CancelForm meeting={meeting} onChanged={onChanged} />
    </section>
  );
}

function DetailsForm({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const edit = useMutation(EditMeeting);
  const [title, setTitle] = useState(meeting.title);
  const [startsAt, setStartsAt] = useState(localValue(meeting.startsAt));
  const [endsAt, setEndsAt] = useState(localValue(meeting.endsAt));
  const [place, setPlace] = useState(meeting.place ?? '');
  const [callLink, setCallLink] = useState(meeting.callLink ?? '');
  const [saved, setSaved] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await edit.run({
      input: {
        meetingId: meeting.id,
        title: title.trim(),
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        place: place.trim() || null,
        callLink: callLink.trim() || null,
      },
    });
    if (done) {
      setSaved(true);
      onChanged();
    }
  };
  return (
    <details>
      <summary>{t('prep.details')}</summary>
      <form className="stack" onSubmit={(e) => void submit(e)} onChange={() => setSaved(false)}>
        <label className="field">
          <span>{t('plan.meetingTitle')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <div className="row">
          <label className="field">
            <span>{t('plan.startsAt')}</span>
            <input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} required />
          </label>
          <label className="field">
            <span>{t('plan.endsAt')}</span>
            <input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required />
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>{t('plan.place')}</span>
            <input value={place} onChange={(e) => setPlace(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('plan.callLink')}</span>
            <input type="url" value={callLink} onChange={(e) => setCallLink(e.target.value)} />
          </label>
        </div>
        <div>
          <button type="submit" disabled={edit.pending}>
            {t('app.save')}
          </button>
        </div>
        <ErrorMessage error={edit.error} />
        {saved && (
          <p className="muted" role="status">
            {t('prep.saved')}
          </p>
        )}
      </form>
    </details>
  );
}

function AgendaEditor({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const planning = useQuery(MeetingPlanningQuery, { taskForceId: taskForce.id });
  const cases = planning.data?.caseSummaries ?? [];
  const add = useMutation(AddAgendaItem);
  const reorder = useMutation(ReorderAgenda);
  const remove = useMutation(RemoveAgendaItem);
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState('');
  const ids = meeting.agenda.map((a) => a.id);
  const move = async (index: number, by: -1 | 1) => {
    const next = [...ids];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    if (await reorder.run({ meetingId: meeting.id, agendaItemIds: next })) {
      setStatus(t('agenda.moved', { title: meeting.agenda[index].title, position: index + by + 1 }));
      onChanged();
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add.run({ input: { meetingId: meeting.id, title: title.trim() } })) {
      setTitle('');
      onChanged();
    }
  };
  return (
    <div className="stack" data-testid="agenda-editor">
      <h3>{t('meeting.agenda')}</h3>
      <ol className="agenda-edit">
        {meeting.agenda.map((item, index) => (
          <li key={item.id} data-testid="agenda-edit-item">
            <AgendaRow item={item} cases={cases} onChanged={onChanged} />
            <div className="controls" role="group" aria-label={t('agenda.order', { title: item.title })}>
              <button
                type="button"
                className="button-secondary small"
                disabled={index === 0 || reorder.pending}
                aria-label={t('agenda.up', { title: item.title })}
                onClick={() => void move(index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="button-secondary small"
                disabled={index === meeting.agenda.length - 1 || reorder.pending}
                aria-label={t('agenda.down', { title: item.title })}
                onClick={() => void move(index, 1)}
              >
                ↓
              </button>
              <ConfirmButton
                label={t('agenda.remove')}
                question={t('agenda.confirmRemove', { title: item.title })}
                confirmLabel={t('agenda.confirmRemoveYes')}
                className="button-secondary small"
                pending={remove.pending}
                onConfirm={() => void remove.run({ agendaItemId: item.id }).then((r) => r && onChanged())}
              />
            </div>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <ErrorMessage error={reorder.error ?? remove.error} />
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label className="field grow">
          <span>{t('agenda.newItem')}</span>
          <input name="agendaTitle" value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <button type="submit" disabled={add.pending || !title.trim()}>
          {t('agenda.add')}
        </button>
      </form>
      <ErrorMessage error={add.error} />
    </div>
  );
}

function AgendaRow({
  item,
  cases,
  onChanged,
}: {
  item: AgendaItem;
  cases: { id: string; caseCode: string }[];
  onChanged(): void;
}) {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const update = useMutation(UpdateAgendaItem);
  const [title, setTitle] = useState(item.title);
  const save = (changes: { title?: string; presenterId?: string | null; caseSummaryId?: string | null }) =>
    void update.run({ input: { agendaItemId: item.id, ...changes } }).then((r) => r && onChanged());
  return (
    <div className="row">
      <label className="field grow">
        <span>{t('agenda.itemTitle')}</span>
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={() => title.trim() && title.trim() !== item.title && save({ title: title.trim() })}
        />
      </label>
      <label className="field">
        <span>{t('agenda.presenter')}</span>
        <select value={item.presenter?.id ?? ''} onChange={(e) => save({ presenterId: e.target.value || null })}>
          <option value="">—</option>
          {taskForce.members.map(({ member }) => (
            <option key={member.id} value={member.id}>
              {member.displayName}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('agenda.case')}</span>
        <select value={item.caseSummary?.id ?? ''} onChange={(e) => save({ caseSummaryId: e.target.value || null })}>
          <option value="">—</option>
          {cases.map((c) => (
            <option key={c.id} value={c.id}>
              {c.caseCode}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={update.error} />
    </div>
  );
}

function TemplateForm({ meeting }: { meeting: Meeting }) {
  const { t } = useI18n();
  const save = useMutation(SaveAgendaTemplate);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await save.run({ meetingId: meeting.id, name: name.trim() });
    if (done) {
      setSaved(done.saveAgendaTemplate.name);
      setName('');
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label className="field grow">
        <span>{t('prep.templateName')}</span>
        <input name="templateName" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" className="button-secondary" disabled={save.pending || !name.trim()}>
        {t('prep.saveTemplate')}
      </button>
      <ErrorMessage error={save.error} />
      {saved && (
        <p className="muted" role="status">
          {t('prep.templateSaved', { name: saved })}
        </p>
      )}
    </form>
  );
}

function CancelForm({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const cancel = useMutation(CancelMeeting);
  const [reason, setReason] = useState('');
  const submit = async () => {
    if (await cancel.run({ meetingId: meeting.id, reason: reason.trim() })) onChanged();
  };
  return (
    <details>
      <summary>{t('prep.cancel')}</summary>
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label className="field grow">
          <span>{t('prep.cancelReason')}</span>
          <input name="cancelReason" value={reason} onChange={(e) => setReason(e.target.value)} required />
        </label>
        <ConfirmButton
          label={t('prep.cancelSubmit')}
          question={t('prep.confirmCancel')}
          confirmLabel={t('prep.confirmCancelYes')}
          pending={cancel.pending}
          disabled={!reason.trim()}
          submit
          onConfirm={() => void submit()}
        />
        <ErrorMessage error={cancel.error} />
      </form>
    </details>
  );
}
