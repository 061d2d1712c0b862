import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router-dom';
import { type ApiError } from '../../api/graphql';
import {
  AddMinuteNote,
  AdvanceAgenda,
  CheckIn,
  CheckOut,
  CreateActionItem,
  EndMeeting,
  MeetingQuery,
  RecordDecision,
  StartMeeting,
} from '../../api/operations';
import { meetingOf } from '../../api/live-events';
import type { AgendaItem, AttendanceMode, LiveEnvelope, Meeting } from '../../api/types';
import { Async, ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useLive, useLiveState } from '../../app/live';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ActionItemCard } from '../action-items/controls';
import { downloadMinutes } from './downloads';
import { MeetingStatusBadge } from './Meetings';

function aboutMeeting(meetingId: string) {
  return (event: LiveEnvelope) => meetingOf(event) === meetingId;
}

export function MeetingPage() {
  const { meetingId = '' } = useParams();
  const meeting = useQuery(MeetingQuery, { id: meetingId }, aboutMeeting(meetingId));
  return <Async state={meeting}>{({ meeting: m }) => <LiveMeeting meeting={m} reload={meeting.reload} />}</Async>;
}

function LiveMeeting({ meeting, reload }: { meeting: Meeting; reload(): void }) {
  const { t, dateTime } = useI18n();
  const { isCoordinator } = useTaskForce();
  const [downloadError, setDownloadError] = useState<ApiError>();
  const live = meeting.status === 'LIVE';
  const currentId = meeting.currentAgendaItem?.id ?? null;

  return (
    <div className="meeting" data-testid="meeting" data-status={meeting.status}>
      <header className="page-head">
        <div>
          <h1>{meeting.title}</h1>
          <p className="muted">
            {t('meeting.when', { start: dateTime(meeting.startsAt), end: dateTime(meeting.endsAt) })}
            {meeting.place && <> · {t('meeting.place', { place: meeting.place })}</>}
            {meeting.callLink && (
              <>
                {' · '}
                <a href={meeting.callLink} target="_blank" rel="noreferrer noopener">
                  {t('meeting.callLink')}
                </a>
              </>
            )}
          </p>
        </div>
        <div className="head-tools">
          <MeetingStatusBadge status={meeting.status} />
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setDownloadError(undefined);
              downloadMinutes(meeting.id).catch((error: ApiError) => setDownloadError(error));
            }}
          >
            {t('meeting.minutes')}
          </button>
        </div>
      </header>
      <ErrorMessage error={downloadError} />
      {isCoordinator && <CoordinatorBar meeting={meeting} onChanged={reload} />}
      {meeting.endedAt && <p className="muted">{t('meeting.ended', { at: dateTime(meeting.endedAt) })}</p>}

      <div className="meeting-grid">
        <section className="card agenda" aria-labelledby="agenda-title">
          <h2 id="agenda-title">{t('meeting.agenda')}</h2>
          <ol className="agenda-list">
            {meeting.agenda.map((item) => (
              <AgendaEntry
                key={item.id}
                meeting={meeting}
                item={item}
                current={item.id === currentId}
                live={live}
                onChanged={reload}
              />
            ))}
          </ol>
        </section>
        <div className="side">
          <Attendance meeting={meeting} onChanged={reload} />
          <section className="card" aria-labelledby="items-title">
            <h2 id="items-title">{t('meeting.actionItems')}</h2>
            <div data-testid="meeting-action-items" className="stack">
              {meeting.actionItems.length === 0 ? (
                <p className="muted">{t('app.none')}</p>
              ) : (
                meeting.actionItems.map((item) => <ActionItemCard key={item.id} item={item} onChanged={reload} />)
              )}
            </div>
            {isCoordinator && meeting.status !== 'CANCELLED' && <AssignForm meeting={meeting} onChanged={reload} />}
          </section>
          <Activity meetingId={meeting.id} />
        </div>
      </div>
    </div>
  );
}

function CoordinatorBar({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
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
          <button
            type="button"
            className="button-danger"
            disabled={end.pending}
            onClick={() => {
              if (window.confirm(t('meeting.confirmEnd'))) void end.run({ meetingId: meeting.id }).then(after);
            }}
          >
            {t('meeting.end')}
          </button>
        </>
      )}
      <ErrorMessage error={start.error ?? advance.error ?? end.error} />
    </div>
  );
}

function AgendaEntry({
  meeting,
  item,
  current,
  live,
  onChanged,
}: {
  meeting: Meeting;
  item: AgendaItem;
  current: boolean;
  live: boolean;
  onChanged(): void;
}) {
  const { t, dateTime } = useI18n();
  const { isCoordinator, canWrite } = useTaskForce();
  const advance = useMutation(AdvanceAgenda);
  const decisions = meeting.decisions.filter((d) => d.agendaItemId === item.id);
  const open = meeting.status !== 'CANCELLED' && meeting.status !== 'ENDED';
  return (
    <li
      className={`agenda-item${current ? ' current' : ''}`}
      aria-current={current ? 'step' : undefined}
      data-testid="agenda-item"
      data-current={current}
    >
      <div className="agenda-head">
        <h3>
          {current && <span className="now">{t('meeting.current')}: </span>}
          {item.title}
        </h3>
        <span className="muted">
          {item.presenter && t('meeting.presenter', { name: item.presenter.displayName })}
          {item.timeBoxMinutes && <> · {t('meeting.timeBox', { minutes: item.timeBoxMinutes })}</>}
          {item.caseSummary && <> · {item.caseSummary.caseCode}</>}
        </span>
        {isCoordinator && live && !current && (
          <button
            type="button"
            className="button-secondary small"
            disabled={advance.pending}
            onClick={() =>
              void advance.run({ meetingId: meeting.id, agendaItemId: item.id }).then((r) => r && onChanged())
            }
          >
            {t('meeting.makeCurrent')}
          </button>
        )}
      </div>
      <ErrorMessage error={advance.error} />
      {(item.notes.length > 0 || (canWrite && open && current)) && (
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
          {canWrite && open && current && (
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
      )}
      {(decisions.length > 0 || (isCoordinator && live && current)) && (
        <div className="agenda-block">
          <h4>{t('meeting.decisions')}</h4>
          <ul className="decisions" data-testid="decisions">
            {decisions.map((d) => (
              <li key={d.id}>{d.text}</li>
            ))}
          </ul>
          {isCoordinator && live && current && (
            <TextForm
              label={t('meeting.decisionLabel', { title: item.title })}
              submit={t('meeting.recordDecision')}
              op="decision"
              meetingId={meeting.id}
              agendaItemId={item.id}
              onDone={onChanged}
            />
          )}
        </div>
      )}
    </li>
  );
}

/** A note or a decision: one text box; the identifier screen's refusal appears under it. */
function TextForm({
  label,
  submit,
  op,
  meetingId,
  agendaItemId,
  onDone,
}: {
  label: string;
  submit: string;
  op: 'note' | 'decision';
  meetingId: string;
  agendaItemId: string;
  onDone(): void;
}) {
  const note = useMutation(AddMinuteNote);
  const decision = useMutation(RecordDecision);
  const mutation = op === 'note' ? note : decision;
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
        <p id={`${id}-error`} className="field-error" role="alert">
          {mutation.error.message}
        </p>
      )}
    </form>
  );
}

function Attendance({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce, me } = useTaskForce();
  const { online } = useLiveState();
  const checkIn = useMutation(CheckIn);
  const checkOut = useMutation(CheckOut);
  const present = new Map(meeting.attendance.filter((a) => !a.leftAt).map((a) => [a.member.id, a]));
  const open = meeting.status === 'SCHEDULED' || meeting.status === 'LIVE';
  const mePresent = present.has(me.id);
  const arrive = (mode: AttendanceMode) =>
    void checkIn.run({ meetingId: meeting.id, mode }).then((r) => r && onChanged());
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
    </section>
  );
}

function AssignForm({ meeting, onChanged }: { meeting: Meeting; onChanged(): void }) {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const create = useMutation(CreateActionItem);
  const agencies = [...new Map(taskForce.members.map((m) => [m.member.agency.id, m.member.agency])).values()];
  const [title, setTitle] = useState('');
  const [assignee, setAssignee] = useState(agencies[0] ? `agency:${agencies[0].id}` : '');
  const [dueOn, setDueOn] = useState(() => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  const [done, setDone] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = assignee.split(':');
    const decision = meeting.decisions.filter((d) => d.agendaItemId === meeting.currentAgendaItem?.id).at(-1);
    const result = await create.run({
      input: {
        taskForceId: taskForce.id,
        meetingId: meeting.id,
        ...(decision ? { decisionId: decision.id } : {}),
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
    create.error?.field === name || create.error?.field === `input.${name}` ? create.error.message : null;
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
        <select name="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
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
      </label>
      <button type="submit" disabled={create.pending || !title.trim()}>
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

/** What happened live in this meeting since the page opened, each event once (by cursor). */
function Activity({ meetingId }: { meetingId: string }) {
  const { t, dateTime } = useI18n();
  const { recent } = useLive();
  const { memberName } = useTaskForce();
  const mine = recent
    .filter((e) => meetingOf(e) === meetingId)
    .slice(-30)
    .reverse();
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">{t('live.activity')}</h2>
      {mine.length === 0 ? (
        <p className="muted">{t('live.noActivity')}</p>
      ) : (
        <ol className="activity" data-testid="activity">
          {mine.map((e) => (
            <li key={e.cursor} data-cursor={e.cursor} data-type={e.type}>
              <code>{e.type}</code>{' '}
              <span className="muted">
                {memberName(e.actorId)} · {dateTime(e.at)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
