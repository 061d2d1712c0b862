import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '../../app/hooks';
import { useNotifications } from '../../app/notifications';
import { useI18n } from '../../i18n';
import { UnreadCountQuery } from './api';

/** In the top bar of every page: how many notifications are unread, opening the inbox. */
export function UnreadBadge() {
  const { t } = useI18n();
  const { version } = useNotifications();
  // Inside a task force, its live events that usually notify someone re-read the count too: their
  // notifications are written in the same transaction, so the count is already there.
  const count = useQuery(UnreadCountQuery, {}, (event) => /^(actionItem|meeting|membership)\./.test(event.type));
  const { reload } = count;
  useEffect(() => {
    if (version) reload();
  }, [version, reload]);
  const unread = count.data?.unreadNotificationCount ?? 0;
  return (
    <Link
      to="/inbox"
      className="inbox-link"
      data-testid="unread-count"
      data-count={unread}
      data-loaded={count.data ? 'true' : 'false'}
      aria-label={t('inbox.unreadBadge', { count: unread })}
    >
      {t('nav.inbox')}
      {unread > 0 && <span className="badge badge-warning">{unread}</span>}
    </Link>
  );
}
