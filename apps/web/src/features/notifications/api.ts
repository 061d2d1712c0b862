/** The inbox and e-mail preferences over GraphQL (see docs/using-the-client.md, "Notifications"). */
import type { NotificationKind, NotificationPayload } from '@hub/contracts';
import { operation } from '../../api/graphql';

export interface InboxEntry {
  id: number;
  kind: NotificationKind;
  taskForceId: string;
  subjectType: NotificationPayload['subjectType'];
  subjectId: string;
  urgent: boolean;
  createdAt: string;
  readAt: string | null;
}

export type EmailMode = 'NONE' | 'IMMEDIATE' | 'DAILY_DIGEST';

export interface Preferences {
  emailMode: EmailMode;
  digestHour: number;
  quietHours: boolean;
}

const ENTRY = 'id kind taskForceId subjectType subjectId urgent createdAt readAt';
const PREFERENCES = 'emailMode digestHour quietHours';

export const InboxQuery = operation<
  {
    notifications: { nodes: InboxEntry[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
    unreadNotificationCount: number;
  },
  { first: number; after?: string | null }
>(
  `query Inbox($first: Int!, $after: String) { notifications(first: $first, after: $after) { nodes { ${ENTRY} } pageInfo { endCursor hasNextPage } } unreadNotificationCount }`,
);

export const UnreadCountQuery = operation<{ unreadNotificationCount: number }>(
  'query UnreadNotificationCount { unreadNotificationCount }',
);

export const MarkNotificationRead = operation<{ markNotificationRead: { id: number; readAt: string } }, { id: number }>(
  'mutation MarkNotificationRead($id: Int!) { markNotificationRead(id: $id) { id readAt } }',
);

export const MarkAllNotificationsRead = operation<{ markAllNotificationsRead: number }>(
  'mutation MarkAllNotificationsRead { markAllNotificationsRead }',
);

export const PreferencesQuery = operation<{ notificationPreferences: Preferences }>(
  `query NotificationPreferences { notificationPreferences { ${PREFERENCES} } }`,
);

export const SetPreferences = operation<{ setNotificationPreferences: Preferences }, { input: Partial<Preferences> }>(
  `mutation SetNotificationPreferences($input: NotificationPreferencesInput!) { setNotificationPreferences(input: $input) { ${PREFERENCES} } }`,
);

/** Where an entry opens: the object it is about, in its task force. */
export function linkOf(entry: Pick<InboxEntry, 'taskForceId' | 'subjectType' | 'subjectId'>): string {
  switch (entry.subjectType) {
    case 'actionItem':
      return `/t/${entry.taskForceId}/actions/${entry.subjectId}`;
    case 'meeting':
      return `/t/${entry.taskForceId}/meetings/${entry.subjectId}`;
    case 'referral':
    case 'hearing':
      return `/t/${entry.taskForceId}/referrals`;
    case 'webhook':
      return `/t/${entry.taskForceId}/clients`;
    default:
      return `/t/${entry.taskForceId}`;
  }
}
