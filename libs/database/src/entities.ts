import { ActionItem, ActionItemChange, ActionItemComment } from '@hub/action-items';
import { AuditRecord } from '@hub/audit';
import { CaseSummary, CaseSummaryRevision } from '@hub/case-summaries';
import { DomainEvent, EventCursor } from '@hub/events';
import { CalendarFeed } from '@hub/exports';
import { Agency, AuthSession, Member, Membership, RefreshToken } from '@hub/identity';
import { ReportSnapshot } from '@hub/reports';
import { EmailOutbox, Notification, NotificationPreference, ReminderSnooze, ReminderStep } from '@hub/notifications';
import { ApiKey, ServiceAccount, WebhookDelivery, WebhookEndpoint } from '@hub/service-accounts';
import { ConsentRefusalTally, Hearing, HearingReadinessItem, Referral, ReferralConsent } from '@hub/referrals';
import {
  AgendaItem,
  AgendaTemplate,
  Attendance,
  Decision,
  Meeting,
  MeetingSeries,
  MinuteNote,
  MinuteNoteRevision,
} from '@hub/meetings';
import { TaskForce } from '@hub/task-forces';

/** Every entity of the hub, for the ORM and the migrations. A new domain adds its entities here. */
export const ENTITIES = [
  TaskForce,
  Agency,
  Member,
  Membership,
  AuthSession,
  RefreshToken,
  AuditRecord,
  CaseSummary,
  CaseSummaryRevision,
  Meeting,
  AgendaItem,
  Attendance,
  MinuteNote,
  Decision,
  MeetingSeries,
  AgendaTemplate,
  MinuteNoteRevision,
  ActionItem,
  ActionItemComment,
  ActionItemChange,
  CalendarFeed,
  ReportSnapshot,
  ReferralConsent,
  ConsentRefusalTally,
  Referral,
  Hearing,
  HearingReadinessItem,
  DomainEvent,
  EventCursor,
  Notification,
  ReminderStep,
  ReminderSnooze,
  NotificationPreference,
  EmailOutbox,
  ServiceAccount,
  ApiKey,
  WebhookEndpoint,
  WebhookDelivery,
];
