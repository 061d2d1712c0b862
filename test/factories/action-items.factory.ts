import { AgencyKind, type TaskForceRole } from '@hub/access';
import { ActionItem, ActionItemChange, ActionItemComment, calendarDate, weekOf } from '@hub/action-items';
import { type Agency, type Member } from '@hub/identity';
import { type TaskForce } from '@hub/task-forces';
import { randomBytes } from 'node:crypto';
import { type TestApp } from '../utils/test-app';
import { IdentityFactory, login } from './identity.factory';

/** Every field of an action item a client can ask for, relations as ids. */
export const ITEM = `id title description status blockedReason priority dueOn completedAt taskForceId overdue
  assigneeMember { id } assigneeAgency { id } meeting { id } decision { id } caseSummary { id caseCode } createdBy { id }`;

export const CREATE_ITEM = `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { ${ITEM} } }`;
export const EDIT_ITEM = `mutation($input: EditActionItemInput!) { editActionItem(input: $input) { ${ITEM} } }`;
export const CHANGE_STATUS = `mutation($id: ID!, $status: ActionItemStatus!, $reason: String) {
  changeActionItemStatus(id: $id, status: $status, reason: $reason) { ${ITEM} }
}`;
export const TAKE_ITEM = `mutation($id: ID!) { takeActionItem(id: $id) { ${ITEM} } }`;
export const COMMENT_ITEM = `mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id text createdAt author { id displayName } } }`;
export const GET_ITEM = `query($id: ID!) {
  actionItem(id: $id) { ${ITEM} comments { id text createdAt author { id } } history { kind before after at actor { id } } }
}`;
export const LIST_ITEMS = `query($taskForceId: ID!, $filter: ActionItemFilterInput, $first: Int, $after: String) {
  actionItems(taskForceId: $taskForceId, filter: $filter, first: $first, after: $after) {
    nodes { id title dueOn status overdue assigneeMember { id } assigneeAgency { id } }
    pageInfo { endCursor hasNextPage }
  }
}`;

export const SCHEDULE_MEETING = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id } } }`;
export const START_MEETING = `mutation($id: ID!) { startMeeting(meetingId: $id) { id status } }`;
export const RECORD_DECISION = `mutation($input: DecisionInput!) { recordDecision(input: $input) { id meetingId } }`;
export const CREATE_CASE_SUMMARY = `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id caseCode } }`;

/** A signed-in person, as the suites use them. */
export interface Person {
  member: Member;
  token: string;
}

/** One history entry as the API returns it, with before/after parsed from their JSON. */
export interface HistoryEntry {
  kind: string;
  before: unknown;
  after: unknown;
  at: string;
  actor: string;
}

const unique = () => randomBytes(3).toString('hex').toUpperCase();

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today and this week in Europe/Bucharest, as the hub computes them. */
export function bucharestDates() {
  const today = calendarDate();
  const { monday, sunday } = weekOf(today);
  return { today, yesterday: addDays(today, -1), tomorrow: addDays(today, 1), monday, sunday };
}

/** People, meetings, decisions, case summaries and action items for the action-item suites. */
export class ActionItemsFactory {
  readonly identity: IdentityFactory;

  constructor(private readonly app: TestApp) {
    this.identity = new IdentityFactory(app);
  }

  /** A member of `agency` (a new one of `kind` when not given) with `role` in the task force, signed in. */
  async person(
    taskForce: TaskForce | null,
    role: TaskForceRole,
    agency?: Agency,
    kind: AgencyKind = AgencyKind.POLICE,
  ): Promise<Person> {
    const member = await this.identity.member({ agency: agency ?? (await this.identity.agency(kind)) });
    if (taskForce) await this.identity.membership(taskForce, member, role);
    const tokens = await login(this.app, member.email);
    return { member, token: tokens.accessToken };
  }

  async create(token: string, input: Record<string, unknown>) {
    const { createActionItem } = await this.app.gql.data(
      CREATE_ITEM,
      { input: { title: `Item ${unique()}`, dueOn: bucharestDates().tomorrow, ...input } },
      { token },
    );
    return createActionItem;
  }

  async setStatus(token: string, id: string, status: string, reason?: string) {
    const { changeActionItemStatus } = await this.app.gql.data(CHANGE_STATUS, { id, status, reason }, { token });
    return changeActionItemStatus;
  }

  /** From OPEN to `status` through allowed moves only. */
  async moveTo(token: string, id: string, status: string) {
    const paths: Record<string, string[]> = {
      OPEN: [],
      IN_PROGRESS: ['IN_PROGRESS'],
      BLOCKED: ['BLOCKED'],
      DONE: ['IN_PROGRESS', 'DONE'],
      CANCELLED: ['CANCELLED'],
    };
    for (const step of paths[status])
      await this.setStatus(token, id, step, step === 'BLOCKED' ? 'Waiting for the prosecutor' : undefined);
  }

  async get(token: string, id: string) {
    const { actionItem } = await this.app.gql.data(GET_ITEM, { id }, { token });
    return actionItem;
  }

  async history(token: string, id: string): Promise<HistoryEntry[]> {
    const item = await this.get(token, id);
    return item.history.map(
      (entry: { kind: string; before: string | null; after: string | null; at: string; actor: { id: string } }) => ({
        kind: entry.kind,
        before: entry.before === null ? null : JSON.parse(entry.before),
        after: entry.after === null ? null : JSON.parse(entry.after),
        at: entry.at,
        actor: entry.actor.id,
      }),
    );
  }

  /** A meeting of the task force, live, with one decision taken on its only agenda item. */
  async meetingWithDecision(coordinatorToken: string, taskForceId: string) {
    const startsAt = new Date(Date.now() + 3600_000);
    const { scheduleMeeting } = await this.app.gql.data(
      SCHEDULE_MEETING,
      {
        input: {
          taskForceId,
          title: `Coordination ${unique()}`,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3600_000),
          agenda: [{ title: 'Open cases' }],
        },
      },
      { token: coordinatorToken },
    );
    await this.app.gql.data(START_MEETING, { id: scheduleMeeting.id }, { token: coordinatorToken });
    const { recordDecision } = await this.app.gql.data(
      RECORD_DECISION,
      {
        input: {
          meetingId: scheduleMeeting.id,
          agendaItemId: scheduleMeeting.agenda[0].id,
          text: 'Police to interview the witness again.',
        },
      },
      { token: coordinatorToken },
    );
    return { meetingId: scheduleMeeting.id as string, decisionId: recordDecision.id as string };
  }

  async caseSummary(token: string, taskForceId: string): Promise<{ id: string; caseCode: string }> {
    const { createCaseSummary } = await this.app.gql.data(
      CREATE_CASE_SUMMARY,
      { input: { taskForceId, caseCode: `CS-${unique()}`, stage: 'INVESTIGATION' } },
      { token },
    );
    return createCaseSummary;
  }

  /** Rows of the three action-item tables, to show a refusal wrote nothing. */
  async rowCounts() {
    const em = this.app.em();
    return {
      items: await em.count(ActionItem, {}),
      comments: await em.count(ActionItemComment, {}),
      changes: await em.count(ActionItemChange, {}),
    };
  }
}
