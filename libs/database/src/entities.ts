import { ActionItem, ActionItemChange, ActionItemComment } from '@hub/action-items';
import { AuditRecord } from '@hub/audit';
import { CaseSummary, CaseSummaryRevision } from '@hub/case-summaries';
import { DomainEvent, EventCursor } from '@hub/events';
import { CalendarFeed } from '@hub/exports';
import { Agency, AuthSession, Member, Membership, RefreshToken } from '@hub/identity';
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
  DomainEvent,
  EventCursor,
];
