import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Async, ErrorMessage } from '../../app/components';
import { useMutation, useQuery } from '../../app/hooks';
import { useNotifications } from '../../app/notifications';
import { useI18n } from '../../i18n';
import { type InboxEntry, InboxQuery, linkOf, MarkAllNotificationsRead, MarkNotificationRead } from './api';
import { describeKind } from './describe';

const PAGE = 30;

/** The member's inbox, newest first, from every task force: each entry opens what it is about. */
export function InboxPage() {
  const { t, dateTime } = useI18n();
  const { version, changed } = useNotifications();
  const [first, setFirst] = useState(PAGE);
  const inbox = useQuery(InboxQuery, { first });
  const { reload } = inbox;
  useEffect(() => {
    if (version) reload();
  }, [version, reload]);
  const markOne = useMutation(MarkNotificationRead);
  const markAll = useMutation(MarkAllNotificationsRead);
  const open = (entry: InboxEntry) => {
    if (!entry.readAt) void markOne.run({ id: entry.id }).then(changed);
  };
  return (
    <section className="card" aria-labelledby="inbox-title">
      <div className="controls">
        <h1 id="inbox-title">{t('inbox.title')}</h1>
        <button
          type="button"
          className="button-secondary"
          disabled={markAll.pending}
          data-testid="mark-all-read"
          onClick={() => void markAll.run({}).then(changed)}
        >
          {t('inbox.markAll')}
        </button>
        <Link to="/notification-preferences">{t('inbox.preferences')}</Link>
      </div>
      <ErrorMessage error={markOne.error ?? markAll.error} />
      <Async state={inbox}>
        {({ notifications, unreadNotificationCount }) => (
          <>
            <p className="muted">{t('inbox.unread', { count: unreadNotificationCount })}</p>
            {notifications.nodes.length === 0 ? (
              <p className="muted">{t('inbox.empty')}</p>
            ) : (
              <ul className="plain-list inbox" data-testid="inbox">
                {notifications.nodes.map((entry) => (
                  <li
                    key={entry.id}
                    data-testid="inbox-entry"
                    data-kind={entry.kind}
                    data-subject={entry.subjectId}
                    data-read={entry.readAt ? 'true' : 'false'}
                  >
                    <Link to={linkOf(entry)} onClick={() => open(entry)}>
                      {entry.readAt ? describeKind(entry.kind, t) : <strong>{describeKind(entry.kind, t)}</strong>}
                    </Link>{' '}
                    {entry.urgent && <span className="badge badge-warning">{t('inbox.urgent')}</span>}{' '}
                    <span className="muted">· {dateTime(entry.createdAt)}</span>
                  </li>
                ))}
              </ul>
            )}
            {notifications.pageInfo.hasNextPage && (
              <button type="button" className="button-secondary" onClick={() => setFirst(first + PAGE)}>
                {t('inbox.more')}
              </button>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
