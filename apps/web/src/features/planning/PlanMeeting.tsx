import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { MeetingPlanningQuery as Planning, SeriesCadence } from '../../api/generated';
import { CreateMeetingSeries, MeetingPlanningQuery, ScheduleMeeting } from '../../api/operations';
import { Async, ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';

interface Row {
  title: string;
  presenterId: string;
  caseSummaryId: string;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** A local date and time field's value as an instant; the browser's zone is the user's. */
const instant = (local: string) => new Date(local).toISOString();

/** A coordinator schedules one meeting, or sets up a series whose first meeting is scheduled with it. */
export function PlanMeetingPage() {
  const { t } = useI18n();
  const { taskForce } = useTaskForce();
  const planning = useQuery(MeetingPlanningQuery, { taskForceId: taskForce.id });
  return (
    <section data-testid="plan-meeting">
      <h1>{t('plan.title')}</h1>
      <Async state={planning}>{(data) => <PlanForm planning={data} />}</Async>
    </section>
  );
}

function PlanForm({ planning }: { planning: Planning }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { taskForce, path } = useTaskForce();
  const schedule = useMutation(ScheduleMeeting);
  const createSeries = useMutation(CreateMeetingSeries);
  const [kind, setKind] = useState<'one' | 'series'>('one');
  const [title, setTitle] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [place, setPlace] = useState('');
  const [callLink, setCallLink] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [cadence, setCadence] = useState<SeriesCadence>('WEEKLY');
  const [weekday, setWeekday] = useState(2);
  const [interval, setInterval] = useState(2);
  const [weekOfMonth, setWeekOfMonth] = useState(2);
  const [startTime, setStartTime] = useState('10:00');
  const [duration, setDuration] = useState(90);
  const [startsOn, setStartsOn] = useState(() => new Date().toISOString().slice(0, 10));
  const error = schedule.error ?? createSeries.error;
  const templates = planning.agendaTemplates;
  const cases = planning.caseSummaries;

  const setRow = (index: number, change: Partial<Row>) =>
    setRows((all) => all.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const common = {
      taskForceId: taskForce.id,
      title: title.trim(),
      place: place.trim() || null,
      callLink: callLink.trim() || null,
      templateId: templateId || null,
    };
    if (kind === 'one') {
      const done = await schedule.run({
        input: {
          ...common,
          startsAt: instant(startsAt),
          endsAt: instant(endsAt),
          agenda: rows
            .filter((r) => r.title.trim())
            .map((r) => ({
              title: r.title.trim(),
              presenterId: r.presenterId || null,
              caseSummaryId: r.caseSummaryId || null,
            })),
        },
      });
      if (done) void navigate(path(`/meetings/${done.scheduleMeeting.id}`));
    } else {
      const done = await createSeries.run({
        input: {
          ...common,
          cadence,
          weekday,
          interval: cadence === 'WEEKLY' ? interval : 1,
          weekOfMonth: cadence === 'MONTHLY' ? weekOfMonth : null,
          startTime,
          durationMinutes: duration,
          startsOn,
        },
      });
      if (done) void navigate(path(`/meetings/${done.createMeetingSeries.meeting.id}`));
    }
  };
  const fieldError = (name: string) =>
    error && (error.field === name || error.field === `input.${name}`) ? error.message : null;
  const field = (name: string, label: string, input: React.ReactNode) => (
    <label className="field">
      <span>{label}</span>
      {input}
      {fieldError(name) && <span className="field-error">{fieldError(name)}</span>}
    </label>
  );

  return (
    <form className="card stack plan-form" onSubmit={(event) => void onSubmit(event)}>
      <div role="radiogroup" aria-label={t('plan.kind')} className="segmented">
        {(['one', 'series'] as const).map((k) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} onClick={() => setKind(k)}>
            {t(`plan.kind.${k}`)}
          </button>
        ))}
      </div>
      {field(
        'title',
        t('plan.meetingTitle'),
        <input name="title" value={title} required onChange={(e) => setTitle(e.target.value)} />,
      )}
      {kind === 'one' ? (
        <div className="row">
          {field(
            'startsAt',
            t('plan.startsAt'),
            <input
              type="datetime-local"
              name="startsAt"
              value={startsAt}
              required
              onChange={(e) => setStartsAt(e.target.value)}
            />,
          )}
          {field(
            'endsAt',
            t('plan.endsAt'),
            <input
              type="datetime-local"
              name="endsAt"
              value={endsAt}
              required
              onChange={(e) => setEndsAt(e.target.value)}
            />,
          )}
        </div>
      ) : (
        <fieldset className="stack">
          <legend>{t('plan.rule')}</legend>
          <div className="row">
            {field(
              'cadence',
              t('plan.cadence'),
              <select name="cadence" value={cadence} onChange={(e) => setCadence(e.target.value as SeriesCadence)}>
                <option value="WEEKLY">{t('plan.cadence.WEEKLY')}</option>
                <option value="MONTHLY">{t('plan.cadence.MONTHLY')}</option>
              </select>,
            )}
            {cadence === 'WEEKLY'
              ? field(
                  'interval',
                  t('plan.interval'),
                  <select name="interval" value={interval} onChange={(e) => setInterval(Number(e.target.value))}>
                    {[1, 2, 3, 4].map((n) => (
                      <option key={n} value={n}>
                        {t(`plan.every.${n as 1 | 2 | 3 | 4}`)}
                      </option>
                    ))}
                  </select>,
                )
              : field(
                  'weekOfMonth',
                  t('plan.weekOfMonth'),
                  <select
                    name="weekOfMonth"
                    value={weekOfMonth}
                    onChange={(e) => setWeekOfMonth(Number(e.target.value))}
                  >
                    {[1, 2, 3, 4, -1].map((n) => (
                      <option key={n} value={n}>
                        {t(`plan.ordinal.${String(n) as '1' | '2' | '3' | '4' | '-1'}`)}
                      </option>
                    ))}
                  </select>,
                )}
            {field(
              'weekday',
              t('plan.weekday'),
              <select name="weekday" value={weekday} onChange={(e) => setWeekday(Number(e.target.value))}>
                {WEEKDAYS.map((d) => (
                  <option key={d} value={d}>
                    {t(`plan.weekday.${d}`)}
                  </option>
                ))}
              </select>,
            )}
          </div>
          <div className="row">
            {field(
              'startTime',
              t('plan.startTime'),
              <input
                type="time"
                name="startTime"
                value={startTime}
                required
                onChange={(e) => setStartTime(e.target.value)}
              />,
            )}
            {field(
              'durationMinutes',
              t('plan.duration'),
              <input
                type="number"
                name="durationMinutes"
                min={15}
                max={720}
                value={duration}
                onChange={(e) => setDuration(Number(e.target.value))}
              />,
            )}
            {field(
              'startsOn',
              t('plan.startsOn'),
              <input
                type="date"
                name="startsOn"
                value={startsOn}
                required
                onChange={(e) => setStartsOn(e.target.value)}
              />,
            )}
          </div>
        </fieldset>
      )}
      <div className="row">
        {field(
          'place',
          t('plan.place'),
          <input name="place" value={place} onChange={(e) => setPlace(e.target.value)} />,
        )}
        {field(
          'callLink',
          t('plan.callLink'),
          <input
            name="callLink"
            type="url"
            placeholder="https://"
            value={callLink}
            onChange={(e) => setCallLink(e.target.value)}
          />,
        )}
      </div>
      {field(
        'templateId',
        t('plan.template'),
        <select name="templateId" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          <option value="">{t('plan.noTemplate')}</option>
          {templates.map((tpl) => (
            <option key={tpl.id} value={tpl.id}>
              {t('plan.templateOption', { name: tpl.name, count: tpl.items.length })}
            </option>
          ))}
        </select>,
      )}
      {kind === 'one' && (
        <fieldset className="stack">
          <legend>{t('plan.agenda')}</legend>
          {rows.map((row, index) => (
            <div className="row" key={index}>
              <label className="field grow">
                <span>{t('plan.itemTitle', { n: index + 1 })}</span>
                <input value={row.title} onChange={(e) => setRow(index, { title: e.target.value })} />
              </label>
              <label className="field">
                <span>{t('agenda.presenter')}</span>
                <select value={row.presenterId} onChange={(e) => setRow(index, { presenterId: e.target.value })}>
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
                <select value={row.caseSummaryId} onChange={(e) => setRow(index, { caseSummaryId: e.target.value })}>
                  <option value="">—</option>
                  {cases.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.caseCode}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button-secondary small"
                onClick={() => setRows((all) => all.filter((_, i) => i !== index))}
              >
                {t('agenda.remove')}
              </button>
            </div>
          ))}
          <div>
            <button
              type="button"
              className="button-secondary"
              onClick={() => setRows((all) => [...all, { title: '', presenterId: '', caseSummaryId: '' }])}
            >
              {t('agenda.addRow')}
            </button>
          </div>
        </fieldset>
      )}
      <div>
        <button type="submit" disabled={schedule.pending || createSeries.pending || !title.trim()}>
          {kind === 'one' ? t('plan.schedule') : t('plan.createSeries')}
        </button>
      </div>
      {error && !error.field && <ErrorMessage error={error} />}
      {error?.field &&
        ![
          'title',
          'startsAt',
          'endsAt',
          'place',
          'callLink',
          'templateId',
          'cadence',
          'interval',
          'weekOfMonth',
          'weekday',
          'startTime',
          'durationMinutes',
          'startsOn',
        ].some((f) => fieldError(f)) && <ErrorMessage error={error} />}
    </form>
  );
}
