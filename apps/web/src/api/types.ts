/**
 * The shapes the client reads from the hub's GraphQL schema (only the fields it asks for). The meeting
 * board's and the action item lines' come from graphql-codegen (generated.ts); the others are still
 * written by hand.
 */
import type { ActionItemLineFragment, DecisionFieldsFragment, MeetingQuery } from './generated';

export type Meeting = MeetingQuery['meeting'];
export type AgendaItem = Meeting['agenda'][number];
export type MinuteNote = AgendaItem['notes'][number];
export type Attendance = Meeting['attendance'][number];
export type Decision = DecisionFieldsFragment;
export type ActionItemSummary = ActionItemLineFragment;
export type FollowUp = Meeting['followUp'];

export type TaskForceRole = 'COORDINATOR' | 'MEMBER' | 'OBSERVER';
export type MeetingStatus = 'SCHEDULED' | 'LIVE' | 'ENDED' | 'CANCELLED';
export type ActionItemStatus = 'OPEN' | 'IN_PROGRESS' | 'BLOCKED' | 'DONE' | 'CANCELLED';
export type ActionItemPriority = 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';
export type ActionItemScope = 'MINE' | 'MY_AGENCY' | 'FOR_ME' | 'TASK_FORCE';
export type CaseSection = 'OVERVIEW' | 'INVESTIGATION' | 'PROSECUTION' | 'VICTIM_SUPPORT';
export type CaseStage = 'IDENTIFICATION' | 'INVESTIGATION' | 'PROSECUTION' | 'TRIAL' | 'CLOSED';
export type AttendanceMode = 'IN_PERSON' | 'REMOTE';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

export interface Agency {
  id: string;
  name: string;
  kind: string;
}

export interface MemberRef {
  id: string;
  displayName: string;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  isPlatformAdmin: boolean;
  isNationalProgramme: boolean;
  agency: Agency;
  memberships: { id: string; role: TaskForceRole; taskForce: TaskForceRef }[];
}

export interface TaskForceRef {
  id: string;
  code: string;
  name: string;
}

export interface TaskForce extends TaskForceRef {
  region: string;
  myRole: TaskForceRole | null;
  members: { id: string; role: TaskForceRole; member: MemberRef & { agency: Agency } }[];
}

export interface ActionItemChange {
  id: string;
  kind: string;
  before: string | null;
  after: string | null;
  at: string;
  actor: MemberRef;
}

export interface ActionItemComment {
  id: string;
  text: string;
  createdAt: string;
  author: MemberRef;
}

export interface ActionItemDetail extends ActionItemSummary {
  description: string | null;
  createdAt: string;
  createdBy: MemberRef;
  caseSummary: { id: string; caseCode: string } | null;
  comments: ActionItemComment[];
  history: ActionItemChange[];
}

export interface MeetingSummary {
  id: string;
  title: string;
  status: MeetingStatus;
  startsAt: string;
  endsAt: string;
  place: string | null;
  callLink: string | null;
}

export interface CaseCounts {
  victims: number;
  minors: number;
  victimsInProceedings: number;
  protectedWitnesses: number;
}

export interface CaseSummarySummary {
  id: string;
  caseCode: string;
  stage: CaseStage;
  version: number;
  updatedAt: string;
  updatedBy: MemberRef;
  counts: CaseCounts;
}

export interface CaseSections {
  overview: string | null;
  investigation: string | null;
  prosecution: string | null;
  victimSupport: string | null;
}

export interface CaseRevision extends CaseSections {
  id: string;
  version: number;
  at: string;
  author: MemberRef;
  changed: string[];
  caseCode: string | null;
  stage: CaseStage | null;
}

export interface CaseSummary extends CaseSummarySummary, CaseSections {
  exploitationForms: string[];
  readableSections: CaseSection[];
  writableSections: CaseSection[];
  revisions: CaseRevision[];
}

export interface Difference {
  field: string;
  before: string;
  after: string;
}

/** The envelope every live event arrives in, on Socket.IO and graphql-ws alike: the hub's one declaration. */
export type { EventEnvelope as LiveEnvelope } from '@hub/contracts';
