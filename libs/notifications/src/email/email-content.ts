import type { NotificationKind } from '@hub/contracts';

/**
 * What a notification e-mail says, built from kinds, counts and links only. Nothing from the hub's
 * free text (titles, notes, reasons, case text) can reach this function: it is given kinds and ids,
 * never entities. Both languages of the hub, since the member's is not known to the server.
 */
const KIND: Record<NotificationKind, [en: string, ro: string]> = {
  ASSIGNED: ['assigned to you or your agency', 'atribuite ție sau agenției tale'],
  UNCLAIMED: ['still not taken by your agency', 'încă nepreluate de agenția ta'],
  DUE_SOON: ['due in 3 working days', 'scadente în 3 zile lucrătoare'],
  DUE_TODAY: ['due today', 'scadente azi'],
  OVERDUE: ['overdue', 'întârziate'],
  OVERDUE_ESCALATED: ['overdue by 3 working days', 'întârziate cu 3 zile lucrătoare'],
  MEETING_SCHEDULED: ['meetings scheduled', 'ședințe programate'],
  MEETING_CHANGED: ['meetings changed', 'ședințe modificate'],
  MEETING_CANCELLED: ['meetings cancelled', 'ședințe anulate'],
  MEETING_STARTING: ['meetings starting in 15 minutes', 'ședințe care încep în 15 minute'],
  DECISION_REVIEW: ['decisions due for review', 'decizii de revizuit'],
  MEMBERSHIP_CHANGED: ['changes to your membership', 'modificări ale calității tale de membru'],
  REFERRAL_UNANSWERED: ['referrals still waiting for an answer', 'trimiteri care așteaptă încă un răspuns'],
  HEARING_NOT_READY: ['hearings whose readiness checklist is incomplete', 'termene cu lista de pregătire incompletă'],
  WEBHOOK_DISABLED: ['webhooks disabled after failing for a day', 'webhook-uri oprite după o zi de erori'],
};

export interface MailedNotification {
  kind: NotificationKind;
  subjectType: string;
  subjectId: string;
  taskForceId: string;
}

export interface EmailContent {
  subject: string;
  text: string;
}

/** The web client's address of what a notification is about. */
export function linkTo(publicUrl: string, n: MailedNotification): string {
  switch (n.subjectType) {
    case 'actionItem':
      return `${publicUrl}/t/${n.taskForceId}/actions/${n.subjectId}`;
    case 'meeting':
      return `${publicUrl}/t/${n.taskForceId}/meetings/${n.subjectId}`;
    case 'referral':
    case 'hearing':
      return `${publicUrl}/t/${n.taskForceId}/referrals`;
    case 'webhook':
      return `${publicUrl}/t/${n.taskForceId}/clients`;
    default:
      return `${publicUrl}/t/${n.taskForceId}`;
  }
}

export function composeEmail(publicUrl: string, notifications: MailedNotification[], digest: boolean): EmailContent {
  const counts = new Map<NotificationKind, number>();
  for (const n of notifications) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  const lines = (lang: 0 | 1) => [...counts].map(([kind, count]) => `  ${count} × ${KIND[kind][lang]}`);
  const total = notifications.length;
  const subject = digest
    ? `Task Force Hub: ${total} notification(s) today / ${total} notificări azi`
    : `Task Force Hub: ${total} new notification(s) / ${total} notificări noi`;
  const links = [...new Set(notifications.map((n) => linkTo(publicUrl, n)))].slice(0, 20);
  const text = [
    `You have ${total} new notification(s) in Task Force Hub:`,
    ...lines(0),
    '',
    `Ai ${total} notificări noi în Task Force Hub:`,
    ...lines(1),
    '',
    `Inbox / Notificări: ${publicUrl}/inbox`,
    ...links,
    '',
    'Change or stop these e-mails / Modifică sau oprește aceste e-mailuri:',
    `${publicUrl}/notification-preferences`,
  ].join('\n');
  return { subject, text };
}
