import { Link } from 'react-router-dom';
import type { SinceLastMeetingQuery as Since } from '../../api/generated';
import { SinceLastMeetingQuery } from '../../api/operations';
import { Async } from '../../app/components';
import { useQuery } from '../../app/hooks';
import { type TaskForceScope, useTaskForce } from '../../app/task-force';
import { type Translate, useI18n } from '../../i18n';
import { assigneeName } from '../action-items/controls';

type Event = Since['sinceLastMeeting']['events'][number];

/** One event as a sentence; null for what the page does not tell (it asks the hub only for what it tells). */
function sentence(event: Event, t: Translate, scope: TaskForceScope, date: (d: string) => string): string | null {
  if (!event.data) return null;
  const data = JSON.parse(event.data) as Record<string, unknown>;
  const who = scope.memberName(event.actorId);
  const title = String(data.title ?? '');
  const agencyName = (id: unknown) =>
    scope.taskForce.members.find((m) => m.member.agency.id === id)?.member.agency.name ?? '—';
  const assignee = () =>
    data.assigneeMemberId ? scope.memberName(String(data.assigneeMemberId)) : agencyName(data.assigneeAgencyId);
  switch (event.type) {
    case 'actionItem.created':
      return t('since.itemCreated', { who, title, assignee: assignee(), date: date(String(data.dueOn)) });
    case 'actionItem.updated': {
      const changes = (data.changes as string[] | undefined) ?? [];
      if (changes.includes('status') && data.status === 'DONE') return t('since.itemDone', { who, title });
      if (changes.includes('status') && data.status === 'CANCELLED') return t('since.itemCancelled', { who, title });
      if (changes.includes('assignee')) return t('since.itemReassigned', { who, title, assignee: assignee() });
      if (changes.includes('dueOn')) return t('since.itemRedated', { who, title, date: date(String(data.dueOn)) });
      if (changes.includes('status'))
        return t('since.itemStatus', { who, title, status: t(`action.status.${data.status as 'OPEN'}`) });
      return t('since.itemChanged', { who, title });
    }
    case 'meeting.decisionRecorded':
      return t('since.decision', { who, text: String(data.text) });
    case 'meeting.scheduled':
      return t('since.meetingScheduled', { who, title });
    case 'meeting.cancelled':
      return t('since.meetingCancelled', { who });
    case 'caseSummary.created':
      return t('since.caseCreated', { who, code: String(data.caseCode) });
    case 'caseSummary.updated':
      return t('since.caseUpdated', { who, code: String(data.caseCode) });
    case 'membership.added':
      return t('since.memberAdded', { name: scope.memberName(String(data.memberId)) });
    case 'membership.removed':
      return t('since.memberRemoved', { name: scope.memberName(String(data.memberId)) });
    default:
      return null;
  }
}

/** What changed in the task force since its last meeting ended, in plain sentences, as this reader may know it. */
export function SinceLastMeetingPage() {
  const { t, date, dateTime } = useI18n();
  const scope = useTaskForce();
  const since = useQuery(SinceLastMeetingQuery, { taskForceId: scope.taskForce.id }, (e) =>
    /^(actionItem|meeting|caseSummary|membership)\./.test(e.type),
  );
  return (
    <section data-testid="since-last-meeting">
      <h1>{t('since.title')}</h1>
      <Async state={since}>
        {({ sinceLastMeeting: s }) => {
          const lines = s.events
            .map((e) => ({ e, text: sentence(e, t, scope, date) }))
            .filter((l): l is { e: Event; text: string } => l.text !== null);
          return (
            <>
              <p className="muted">
                {s.lastMeeting ? (
                  <>
                    {t('since.after')}{' '}
                    <Link to={scope.path(`/meetings/${s.lastMeeting.id}`)}>{s.lastMeeting.title}</Link>
                    {s.lastMeeting.endedAt && ` (${dateTime(s.lastMeeting.endedAt)})`}
                  </>
                ) : (
                  t('since.noMeetingYet')
                )}
              </p>
              <section className="card" aria-labelledby="since-overdue">
                <h2 id="since-overdue">{t('since.overdue')}</h2>
                {s.overdue.length === 0 ? (
                  <p className="muted">{t('since.noneOverdue')}</p>
                ) : (
                  <ul data-testid="since-overdue">
                    {s.overdue.map((i) => (
                      <li key={i.id}>
                        <Link to={scope.path(`/actions/${i.id}`)}>{i.title}</Link>{' '}
                        <span className="muted">
                          {t('since.overdueLine', { assignee: assigneeName(i, t), date: date(i.dueOn) })}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section className="card" aria-labelledby="since-changes">
                <h2 id="since-changes">{t('since.changes')}</h2>
                {lines.length === 0 ? (
                  <p className="muted">{t('since.nothing')}</p>
                ) : (
                  <ol className="plain-list" data-testid="since-events">
                    {lines.map(({ e, text }) => (
                      <li key={e.cursor} data-type={e.type}>
                        {text} <span className="muted">· {dateTime(e.at)}</span>
                      </li>
                    ))}
                  </ol>
                )}
                {s.truncated && <p className="muted">{t('since.truncated')}</p>}
              </section>
            </>
          );
        }}
      </Async>
    </section>
  );
}
