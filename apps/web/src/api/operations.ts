/**
 * Every GraphQL operation the web client sends, each with its variables' and result's types. Those
 * built with `generated(...)` are typed by graphql-codegen from schema.graphql (documents in
 * operations/*.graphql); the rest are still written by hand here and in types.ts.
 */
import * as documents from './generated';
import { generated, operation } from './graphql';
import type {
  ActionItemDetail,
  ActionItemStatus,
  AttendanceMode,
  AuthPayload,
  CaseSummary,
  CaseSummarySummary,
  Difference,
  Me,
  MeetingStatus,
  MeetingSummary,
  TaskForce,
  TaskForceRef,
} from './types';

const AUTH = 'accessToken refreshToken expiresAt';
const MEMBER = 'id displayName';
const ACTION_ITEM = `id title status priority dueOn overdue blockedReason updatedAt
  assigneeMember { ${MEMBER} } assigneeAgency { id name kind } meeting { id title } caseSummary { id caseCode }
  decision { id }`;
const MEETING_SUMMARY = 'id title status startsAt endsAt place callLink';
const CASE_SUMMARY = `id caseCode stage version updatedAt updatedBy { ${MEMBER} }
  counts { victims minors victimsInProceedings protectedWitnesses }`;
const SECTIONS = 'overview investigation prosecution victimSupport';

// Identity

export const Login = operation<{ login: AuthPayload }, { email: string; password: string }>(
  `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH} } }`,
);

export const RefreshToken = operation<{ refreshToken: AuthPayload }, { token: string }>(
  `mutation RefreshToken($token: String!) { refreshToken(token: $token) { ${AUTH} } }`,
);

export const Logout = operation<{ logout: boolean }>(`mutation Logout { logout }`);

export const MeQuery = operation<{ me: Me }>(
  `query Me { me { id email displayName isPlatformAdmin isNationalProgramme agency { id name kind }
    memberships { id role taskForce { id code name } } } }`,
);

export const TaskForcesQuery = operation<{ taskForces: TaskForceRef[] }>(
  `query TaskForces { taskForces { id code name } }`,
);

export const TaskForceQuery = operation<{ taskForce: TaskForce }, { id: string }>(
  `query TaskForce($id: ID!) { taskForce(id: $id) { id code name region myRole
    members { id role member { ${MEMBER} agency { id name kind } } } } }`,
);

// Meetings

export const MeetingsQuery = operation<
  { meetings: { nodes: MeetingSummary[] } },
  { taskForceId: string; filter?: { from?: string; status?: MeetingStatus }; first?: number }
>(
  `query Meetings($taskForceId: ID!, $filter: MeetingFilterInput, $first: Int! = 50) {
    meetings(taskForceId: $taskForceId, filter: $filter, first: $first) { nodes { ${MEETING_SUMMARY} } } }`,
);

export const StartMeeting = operation<{ startMeeting: { id: string } }, { meetingId: string }>(
  `mutation StartMeeting($meetingId: ID!) { startMeeting(meetingId: $meetingId) { id } }`,
);

export const AdvanceAgenda = operation<{ advanceAgenda: { id: string } }, { meetingId: string; agendaItemId?: string }>(
  `mutation AdvanceAgenda($meetingId: ID!, $agendaItemId: ID) { advanceAgenda(meetingId: $meetingId, agendaItemId: $agendaItemId) { id } }`,
);

export const EndMeeting = operation<{ endMeeting: { id: string } }, { meetingId: string }>(
  `mutation EndMeeting($meetingId: ID!) { endMeeting(meetingId: $meetingId) { id } }`,
);

export const CheckIn = operation<
  { checkIn: { id: string } },
  { meetingId: string; mode: AttendanceMode; memberId?: string }
>(
  `mutation CheckIn($meetingId: ID!, $mode: AttendanceMode!, $memberId: ID) { checkIn(meetingId: $meetingId, mode: $mode, memberId: $memberId) { id } }`,
);

export const CheckOut = operation<{ checkOut: { id: string } }, { meetingId: string; memberId?: string }>(
  `mutation CheckOut($meetingId: ID!, $memberId: ID) { checkOut(meetingId: $meetingId, memberId: $memberId) { id } }`,
);

export const AddMinuteNote = operation<
  { addMinuteNote: { id: string } },
  { input: { meetingId: string; agendaItemId: string; text: string } }
>(`mutation AddMinuteNote($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }`);

export const CreateCalendarFeed = operation<{ createCalendarFeed: { url: string } }>(
  `mutation CreateCalendarFeed { createCalendarFeed { url } }`,
);

export const RevokeCalendarFeed = operation<{ revokeCalendarFeed: boolean }>(
  `mutation RevokeCalendarFeed { revokeCalendarFeed }`,
);

// Action items

export const ActionItemQuery = operation<{ actionItem: ActionItemDetail }, { id: string }>(
  `query ActionItem($id: ID!) { actionItem(id: $id) { ${ACTION_ITEM} description createdAt createdBy { ${MEMBER} }
    caseSummary { id caseCode }
    comments { id text createdAt author { ${MEMBER} } }
    history { id kind before after at actor { ${MEMBER} } } } }`,
);

export const TakeActionItem = operation<{ takeActionItem: { id: string; status: ActionItemStatus } }, { id: string }>(
  `mutation TakeActionItem($id: ID!) { takeActionItem(id: $id) { id status } }`,
);

export const ChangeActionItemStatus = operation<
  { changeActionItemStatus: { id: string; status: ActionItemStatus } },
  { id: string; status: ActionItemStatus; reason?: string }
>(
  `mutation ChangeActionItemStatus($id: ID!, $status: ActionItemStatus!, $reason: String) {
    changeActionItemStatus(id: $id, status: $status, reason: $reason) { id status } }`,
);

export const CommentOnActionItem = operation<{ commentOnActionItem: { id: string } }, { id: string; text: string }>(
  `mutation CommentOnActionItem($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id } }`,
);

// Case summaries

export const CaseSummariesQuery = operation<{ caseSummaries: CaseSummarySummary[] }, { taskForceId: string }>(
  `query CaseSummaries($taskForceId: ID!) { caseSummaries(taskForceId: $taskForceId) { ${CASE_SUMMARY} } }`,
);

export const CaseSummaryQuery = operation<{ caseSummary: CaseSummary }, { id: string }>(
  `query CaseSummary($id: ID!) { caseSummary(id: $id) { ${CASE_SUMMARY} ${SECTIONS} exploitationForms readableSections writableSections
    revisions { id version at author { ${MEMBER} } changed caseCode stage ${SECTIONS} } } }`,
);

export const CompareVersions = operation<
  { compareCaseSummaryVersions: Difference[] },
  { id: string; fromVersion: number; toVersion: number }
>(
  `query CompareVersions($id: ID!, $fromVersion: Int!, $toVersion: Int!) {
    compareCaseSummaryVersions(id: $id, fromVersion: $fromVersion, toVersion: $toVersion) { field before after } }`,
);

export interface UpdateCaseSummaryInput {
  id: string;
  baseVersion: number;
  sections?: Partial<Record<'overview' | 'investigation' | 'prosecution' | 'victimSupport', string>>;
}

export const UpdateCaseSummary = operation<
  { updateCaseSummary: { id: string; version: number } },
  { input: UpdateCaseSummaryInput }
>(`mutation UpdateCaseSummary($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id version } }`);

// Generated from operations/*.graphql

export const MeetingQuery = generated(documents.MeetingDocument);
export const OpenEndsQuery = generated(documents.OpenEndsDocument);
export const MeetingPlanningQuery = generated(documents.MeetingPlanningDocument);
export const ScheduleMeeting = generated(documents.ScheduleMeetingDocument);
export const CreateMeetingSeries = generated(documents.CreateMeetingSeriesDocument);
export const ScheduleNextInSeries = generated(documents.ScheduleNextInSeriesDocument);
export const EditMeeting = generated(documents.EditMeetingDocument);
export const CancelMeeting = generated(documents.CancelMeetingDocument);
export const AddAgendaItem = generated(documents.AddAgendaItemDocument);
export const UpdateAgendaItem = generated(documents.UpdateAgendaItemDocument);
export const RemoveAgendaItem = generated(documents.RemoveAgendaItemDocument);
export const ReorderAgenda = generated(documents.ReorderAgendaDocument);
export const SaveAgendaTemplate = generated(documents.SaveAgendaTemplateDocument);
export const RecordDecision = generated(documents.RecordDecisionDocument);
export const CorrectMinuteNote = generated(documents.CorrectMinuteNoteDocument);
export const ActionItemsQuery = generated(documents.ActionItemsDocument);
export const CreateActionItem = generated(documents.CreateActionItemDocument);
export const EditActionItem = generated(documents.EditActionItemDocument);
export const SinceLastMeetingQuery = generated(documents.SinceLastMeetingDocument);
export const CaseSummaryListQuery = generated(documents.CaseSummaryListDocument);
export const UpdateCaseHeader = generated(documents.UpdateCaseHeaderDocument);
export const AddMembership = generated(documents.AddMembershipDocument);
export const ChangeMembershipRole = generated(documents.ChangeMembershipRoleDocument);
export const RemoveMembership = generated(documents.RemoveMembershipDocument);
