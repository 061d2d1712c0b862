import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  ActionItemsQuery,
  CaseSummariesQuery,
  CreateCalendarFeed,
  MeetingsQuery,
  RevokeCalendarFeed,
} from '../../api/operations';
import type { LiveEnvelope } from '../../api/types';
import { Async, ErrorMessage } from '../../app/components';
import { ConfirmButton } from '../../app/confirm';
import { useMutation, useQuery } from '../../app/hooks';
import { useLiveState } from '../../app/live';
import { useNotifications } from '../../app/notifications';
import { useTaskForce } from '../../app/task-force';
import { useI18n } from '../../i18n';
import { ActionItemCard } from '../action-items/controls';
import { MeetingLine } from '../meetings/Meetings';
import { linkOf } from '../notifications/api';
import { describeKind } from '../notifications/describe';

const isActionItem = (e: LiveEnvelope) => e.type.startsWith('actionItem.');

export function Dashboard() {
  const { t } = useI18n();
  const { taskForce, me, path } = useTaskForce();
  // From 12 hours ago, so that a meeting under way is still "upcoming" here.
  const from = useMemo(() => new Date(Date.now() - 12 * 3_600_000).toISOString(), []);
  const meetings = useQuery(MeetingsQuery, { taskForceId: taskForce.id, filter: { from }, first: 10 }, (e) =>
    e.type.startsWith('meeting.'),
  );
  const mine = useQuery(
    ActionItemsQuery,
    // Mine and my agency's that no one has taken yet: both are work for me, and both are counted.
    { taskForceId: taskForce.id, filter: { scope: 'FOR_ME', statuses: ['OPEN', 'IN_PROGRESS', 'BLOCKED'] } },
    isActionItem,
  );
  const cases = useQuery(CaseSummariesQuery, { taskForceId: taskForce.id }, (e) => e.type.startsWith('caseSummary.'));

  return (
    <div className="dashboard">
      <h1 className="visually-hidden">{t('nav.dashboard')}</h1>
      <section className="card" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t('dash.upcoming')}</h2>
        <Async state={meetings}>
          {({ meetings }) => {
            const next = meetings.nodes.filter((m) => m.status === 'SCHEDULED' || m.status === 'LIVE').slice(0, 5);
            return next.length === 0 ? (
              <p className="muted">{t('dash.noUpcoming')}</p>
            ) : (
              <ul className="plain-list">
                {next.map((m) => (
                  <MeetingLine key={m.id} meeting={m} />
                ))}
              </ul>
            );
          }}
        </Async>
      </section>
      <section className="card" aria-labelledby="mine-title">
        <h2 id="mine-title">{t('dash.myItems')}</h2>
        <Async state={mine}>
          {({ actionItems }) =>
            actionItems.nodes.length === 0 ? (
              <p className="muted">{t('dash.noItems')}</p>
            ) : (
              <div className="stack">
                <p data-testid="for-me-count">
                  {t('dash.forMeCount', {
                    mine: actionItems.nodes.filter((i) => i.assigneeMember?.id === me.id).length,
                    agency: actionItems.nodes.filter((i) => !i.assigneeMember).length,
                  })}{' '}
                  <Link to={path('/since')}>{t('since.link')}</Link>
                </p>
                {[...actionItems.nodes]
                  .sort((a, b) => Number(b.overdue) - Number(a.overdue))
                  .map((item) => (
                    <ActionItemCard key={item.id} item={item} onChanged={mine.reload} />
                  ))}
              </div>
            )
          }
        </Async>
      </section>
      <section className="card" aria-labelledby="cases-title">
        <h2 id="cases-title">{t('dash.recentCases')}</h2>
        <Async state={cases}>{({ caseSummaries }) => <RecentCases list={caseSummaries} />}</Async>
      </section>
      <Online />
      <Notifications />
      <CalendarFeed />
    </div>
  );
}

function RecentCases({
  list,
}: {
  list: { id: string; caseCode: string; stage: string; updatedAt: string; updatedBy: { displayName: string } }[];
}) {
  const { t, dateTime } = useI18n();
  const { path } = useTaskForce();
  const recent = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 5);
  if (recent.length === 0) return <p className="muted">{t('case.none')}</p>;
  return (
    <ul className="plain-list">
      {recent.map((c) => (
        <li key={c.id}>
          <Link to={path(`/cases/${c.id}`)}>{c.caseCode}</Link>{' '}
          <span className="muted">
            {t('case.updatedBy', { at: dateTime(c.updatedAt), name: c.updatedBy.displayName })}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Online() {
  const { t } = useI18n();
  const { taskForce, me } = useTaskForce();
  const { online } = useLiveState();
  const people = taskForce.members.filter((m) => (online.get(m.member.id) ?? 0) > 0 && m.member.id !== me.id);
  return (
    <section className="card" aria-labelledby="online-title">
      <h2 id="online-title">{t('dash.online')}</h2>
      {people.length === 0 ? (
        <p className="muted">{t('dash.nobodyOnline')}</p>
      ) : (
        <ul className="plain-list" data-testid="online">
          {people.map((m) => (
            <li key={m.member.id} data-member-id={m.member.id}>
              <span className="dot on" aria-hidden="true" /> {m.member.displayName}{' '}
              <span className="muted">· {m.member.agency.name}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Notifications() {
  const { t, dateTime } = useI18n();
  const { taskForce } = useTaskForce();
  const notifications = useNotifications().live.filter((n) => n.taskForceId === taskForce.id);
  return (
    <section className="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">{t('dash.notifications')}</h2>
      {notifications.length === 0 ? (
        <p className="muted">{t('dash.noNotifications')}</p>
      ) : (
        <ul className="plain-list" aria-live="polite" data-testid="notifications">
          {notifications.map((n) => (
            <li key={n.id}>
              <Link to={linkOf(n)}>{describeKind(n.kind, t)}</Link>{' '}
              <span className="muted">· {dateTime(n.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <Link to="/inbox">{t('inbox.open')}</Link>
    </section>
  );
}

function CalendarFeed() {
  const { t } = useI18n();
  const create = useMutation(CreateCalendarFeed);
  const revoke = useMutation(RevokeCalendarFeed);
  const [url, setUrl] = useState<string | null>(null);
  const [revoked, setRevoked] = useState(false);
  return (
    <section className="card" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{t('dash.calendar')}</h2>
      <p className="muted">{t('dash.calendarIntro')}</p>
      <div className="controls">
        <button
          type="button"
          className="button-secondary"
          disabled={create.pending}
          onClick={() => void create.run({}).then((r) => r && (setUrl(r.createCalendarFeed.url), setRevoked(false)))}
        >
          {t('dash.calendarCreate')}
        </button>
        <ConfirmButton
          label={t('dash.calendarRevoke')}
          question={t('dash.calendarRevokeQuestion')}
          confirmLabel={t('dash.calendarRevokeConfirm')}
          className="button-secondary"
          pending={revoke.pending}
          onConfirm={() => void revoke.run({}).then((r) => r !== undefined && (setUrl(null), setRevoked(true)))}
        />
      </div>
      {url && (
        <p>
          {t('dash.calendarCreated')}{' '}
          <a href={url} data-testid="calendar-url" className="break">
            {url}
          </a>
        </p>
      )}
      {revoked && <p role="status">{t('dash.calendarRevoked')}</p>}
      <ErrorMessage error={create.error ?? revoke.error} />
    </section>
  );
}
