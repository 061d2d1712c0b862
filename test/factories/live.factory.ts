import { AgencyKind, TaskForceRole } from '@hub/access';
import type {
  EventEnvelope,
  JoinAck,
  JoinRoom,
  LeaveAck,
  PresenceAck,
  PresenceChange,
  PresenceChanged,
  PresenceEntry,
  RoomTarget,
} from '@hub/contracts';
import { type Agency, type Member } from '@hub/identity';
import { type TaskForce } from '@hub/task-forces';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { connectSocket, type HubClientSocket } from '../utils/socket-client';
import { type TestApp } from '../utils/test-app';
import { waitUntil } from '../utils/wait';
import { IdentityFactory, login } from './identity.factory';

/** How long a test client waits for an acknowledgement: a missing one counts as a failure, so allow a loaded machine. */
const ACK_WAIT_MS = 15_000;

/** A signed-in member as IdentityFactory.signedIn returns it. */
export type SignedIn = Awaited<ReturnType<IdentityFactory['signedIn']>>;

/** What the gateway pushes for a domain event (the public contract). */
export type Envelope = EventEnvelope;

/** The action item an event is about (undefined for other events). */
export const actionItemIdOf = (e: Envelope): string | undefined =>
  e.data && 'actionItemId' in e.data ? e.data.actionItemId : undefined;

/** Any of the gateway's acknowledgements. */
export type Ack = JoinAck | LeaveAck | PresenceAck;

export type { AckError, RoomTarget } from '@hub/contracts';

/** One thing a socket received, whatever it was. */
export interface Received {
  event: string;
  payload: any;
  /** Order of arrival across every event of this client. */
  seq: number;
}

const unique = () => randomBytes(3).toString('hex').toUpperCase();

/** 1..n */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * A socket.io-client connection that records everything it receives (socket.onAny), and how it
 * ended, with helpers for the gateway's acknowledged messages. The member's own `notification.created`
 * pushes are kept apart in `notifications`: they carry inbox positions, not the task force's cursors.
 */
export class LiveClient {
  readonly received: Received[] = [];
  readonly notifications: Received[] = [];
  disconnectReason: string | null = null;
  /** The same socket, untyped: for suites that speak the protocol wrongly on purpose. */
  readonly socket: Socket;
  private seq = 0;

  constructor(readonly hub: HubClientSocket) {
    const socket: Socket = hub;
    this.socket = socket;
    socket.onAny((event: string, ...args: unknown[]) =>
      (event === 'notification.created' ? this.notifications : this.received).push({
        event,
        payload: args[0],
        seq: this.seq++,
      }),
    );
    socket.on('disconnect', (reason) => (this.disconnectReason = reason));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Domain events (anything with a cursor), in arrival order. */
  get envelopes(): Envelope[] {
    return this.received
      .filter((r) => r.payload && typeof r.payload === 'object' && typeof r.payload.cursor === 'number')
      .map((r): Envelope => r.payload);
  }

  envelopesOf(taskForceId: string): Envelope[] {
    return this.envelopes.filter((e) => e.taskForceId === taskForceId);
  }

  cursors(taskForceId?: string): number[] {
    return (taskForceId ? this.envelopesOf(taskForceId) : this.envelopes).map((e) => e.cursor);
  }

  named(event: string): any[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload);
  }

  /** Until this client has seen an envelope of the task force with a cursor of at least `cursor`. */
  async waitForCursor(taskForceId: string, cursor: number, timeoutMs = 5_000): Promise<void> {
    await waitUntil(() => this.cursors(taskForceId).some((c) => c >= cursor), `cursor ${cursor} of ${taskForceId}`, {
      timeoutMs,
      state: () => this.cursors(taskForceId),
    });
  }

  async waitForEvent(event: string, match: (payload: any) => boolean = () => true, timeoutMs = 5_000): Promise<any> {
    await waitUntil(() => this.named(event).some(match), `"${event}"`, {
      timeoutMs,
      state: () => this.received.map((r) => r.event),
    });
    return this.named(event).find(match);
  }

  /** Every presence change this client was told of for a room, in order, across its batches. */
  presenceChanges(room: { taskForceId: string; meetingId?: string }): PresenceChange[] {
    return this.presenceBatches(room).flatMap((batch) => batch.changes);
  }

  /** The `presence.changed` batches this client received for a room. */
  presenceBatches(room: { taskForceId: string; meetingId?: string }): PresenceChanged[] {
    return (this.named('presence.changed') as PresenceChanged[]).filter(
      (batch) => batch.taskForceId === room.taskForceId && batch.meetingId === (room.meetingId ?? null),
    );
  }

  /** Until a `presence.changed` batch of the room lists `change`; returns that batch. */
  async waitForPresence(
    room: { taskForceId: string; meetingId?: string },
    change: PresenceChange,
    timeoutMs = 5_000,
  ): Promise<PresenceChanged> {
    const lists = (batch: PresenceChanged) =>
      batch.changes.some((c) => c.memberId === change.memberId && c.online === change.online);
    await waitUntil(() => this.presenceBatches(room).some(lists), `presence ${JSON.stringify(change)}`, {
      timeoutMs,
      state: () => this.presenceChanges(room),
    });
    return this.presenceBatches(room).find(lists) as PresenceChanged;
  }

  async waitForDisconnect(timeoutMs = 5_000): Promise<string> {
    await waitUntil(
      () => !this.socket.connected && this.disconnectReason !== null,
      'the server to disconnect the socket',
      { timeoutMs },
    );
    return this.disconnectReason!;
  }

  send(event: string, ...args: unknown[]): Promise<Ack> {
    return this.socket.timeout(ACK_WAIT_MS).emitWithAck(event, ...args) as Promise<Ack>;
  }

  join(target: JoinRoom): Promise<JoinAck> {
    return this.hub.timeout(ACK_WAIT_MS).emitWithAck('room.join', target);
  }

  /** A join that must succeed; returns the cursor the room is at. */
  async joined(target: JoinRoom): Promise<number> {
    const ack = await this.join(target);
    if (!ack.ok) throw new Error(`room.join ${JSON.stringify(target)} was refused: ${JSON.stringify(ack.error)}`);
    return ack.cursor;
  }

  leave(target: RoomTarget): Promise<LeaveAck> {
    return this.hub.timeout(5_000).emitWithAck('room.leave', target);
  }

  presence(target: RoomTarget): Promise<Ack> {
    return this.presenceOf(target);
  }

  /** Member ids (sorted) that presence.get reports for a room. */
  async present(target: RoomTarget): Promise<PresenceEntry[]> {
    const ack = await this.presenceOf(target);
    if (!ack.ok) throw new Error(`presence.get refused: ${JSON.stringify(ack.error)}`);
    return [...ack.members].sort((a, b) => a.memberId.localeCompare(b.memberId));
  }

  close(): void {
    this.socket.close();
  }

  private presenceOf(target: RoomTarget): Promise<PresenceAck> {
    return this.hub.timeout(5_000).emitWithAck('presence.get', target);
  }
}

const MEETING = 'id title startsAt endsAt place callLink status agenda { id position title timeBoxMinutes }';

/**
 * People and GraphQL mutations that produce every kind of domain event, and live clients.
 * Closes every socket it opened with `closeAll()`.
 */
export class LiveFactory {
  readonly identity: IdentityFactory;
  private readonly clients: LiveClient[] = [];

  constructor(private readonly app: TestApp) {
    this.identity = new IdentityFactory(app);
  }

  /** Connects as an app would (auth: { token }), recording everything received. */
  async connect(token: string): Promise<LiveClient> {
    const client = new LiveClient(await connectSocket(this.app.url, token));
    this.clients.push(client);
    return client;
  }

  /** Connects with arbitrary handshake auth and query (to show the server ignores what it must not trust). */
  async connectWith(auth: Record<string, unknown>, query: Record<string, string> = {}): Promise<LiveClient> {
    const socket: HubClientSocket = io(this.app.url, {
      auth,
      query,
      transports: ['websocket'],
      reconnection: false,
      timeout: 5000,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
    const client = new LiveClient(socket);
    this.clients.push(client);
    return client;
  }

  closeAll(): void {
    for (const client of this.clients.splice(0)) client.close();
  }

  /** A member of `agency` (or of a new agency of `kind`) with `role` in the task force, signed in. */
  async person(taskForce: TaskForce | null, role: TaskForceRole, kind: AgencyKind, agency?: Agency): Promise<SignedIn> {
    if (!agency) return this.identity.signedIn(taskForce, role, { kind });
    const member = await this.identity.member({ agency });
    const membership = taskForce ? await this.identity.membership(taskForce, member, role) : undefined;
    const tokens = await login(this.app, member.email);
    return { member, membership, token: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  /** Another session of the same member: a second login. */
  async secondSession(member: Member): Promise<string> {
    return (await login(this.app, member.email)).accessToken;
  }

  /** The cursors of a task force's rows in the outbox, in cursor order. */
  async storedCursors(taskForceId: string): Promise<number[]> {
    const rows = await this.app
      .em()
      .getConnection()
      .execute<{ cursor: number }[]>('select cursor from domain_event where task_force_id = ? order by cursor', [
        taskForceId,
      ]);
    return (rows as { cursor: number | string }[]).map((row) => Number(row.cursor));
  }

  // ---- GraphQL mutations, each producing one domain event ----

  private gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    return this.app.gql.data<T>(query, variables, { token });
  }

  /** Whole seconds, so every dialect stores and returns the same instant. */
  private static at(hoursFromNow: number): Date {
    const date = new Date(Date.now() + hoursFromNow * 3600_000);
    date.setUTCMilliseconds(0);
    date.setUTCSeconds(0);
    return date;
  }

  async scheduleMeeting(token: string, taskForceId: string, agenda: string[] = ['Open cases', 'Victim support']) {
    const startsAt = LiveFactory.at(24);
    const { scheduleMeeting } = await this.gql(
      `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { ${MEETING} } }`,
      {
        input: {
          taskForceId,
          title: `Coordination ${unique()}`,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
          agenda: agenda.map((title) => ({ title })),
        },
      },
      token,
    );
    return scheduleMeeting as {
      id: string;
      title: string;
      startsAt: string;
      endsAt: string;
      place: string | null;
      callLink: string | null;
      agenda: { id: string; position: number; title: string; timeBoxMinutes: number | null }[];
    };
  }

  async editMeeting(token: string, meetingId: string, changes: Record<string, unknown>) {
    const { editMeeting } = await this.gql(
      `mutation($input: EditMeetingInput!) { editMeeting(input: $input) { ${MEETING} } }`,
      { input: { meetingId, ...changes } },
      token,
    );
    return editMeeting;
  }

  async cancelMeeting(token: string, meetingId: string, reason: string) {
    const { cancelMeeting } = await this.gql(
      `mutation($id: ID!, $reason: String) { cancelMeeting(meetingId: $id, reason: $reason) { id status } }`,
      { id: meetingId, reason },
      token,
    );
    return cancelMeeting;
  }

  async addAgendaItem(token: string, meetingId: string, title: string) {
    const { addAgendaItem } = await this.gql(
      `mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id position title timeBoxMinutes } }`,
      { input: { meetingId, title } },
      token,
    );
    return addAgendaItem as { id: string; position: number; title: string; timeBoxMinutes: number | null };
  }

  async startMeeting(token: string, meetingId: string) {
    return (
      await this.gql(`mutation($id: ID!) { startMeeting(meetingId: $id) { id status } }`, { id: meetingId }, token)
    ).startMeeting;
  }

  async advanceAgenda(token: string, meetingId: string, agendaItemId?: string) {
    return (
      await this.gql(
        `mutation($id: ID!, $item: ID) { advanceAgenda(meetingId: $id, agendaItemId: $item) { id status } }`,
        { id: meetingId, item: agendaItemId },
        token,
      )
    ).advanceAgenda;
  }

  async endMeeting(token: string, meetingId: string) {
    return (await this.gql(`mutation($id: ID!) { endMeeting(meetingId: $id) { id status } }`, { id: meetingId }, token))
      .endMeeting;
  }

  async checkIn(token: string, meetingId: string, mode: 'IN_PERSON' | 'REMOTE' = 'IN_PERSON') {
    const { checkIn } = await this.gql(
      `mutation($id: ID!, $mode: AttendanceMode!) { checkIn(meetingId: $id, mode: $mode) { id mode arrivedAt leftAt } }`,
      { id: meetingId, mode },
      token,
    );
    return checkIn as { id: string; mode: string; arrivedAt: string; leftAt: string | null };
  }

  async addMinuteNote(token: string, meetingId: string, agendaItemId: string, text: string) {
    const { addMinuteNote } = await this.gql(
      `mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id text agendaItemId } }`,
      { input: { meetingId, agendaItemId, text } },
      token,
    );
    return addMinuteNote as { id: string; text: string; agendaItemId: string };
  }

  async recordDecision(token: string, meetingId: string, agendaItemId: string, text: string) {
    const { recordDecision } = await this.gql(
      `mutation($input: DecisionInput!) { recordDecision(input: $input) { id text agendaItemId meetingId } }`,
      { input: { meetingId, agendaItemId, text } },
      token,
    );
    return recordDecision as { id: string; text: string; agendaItemId: string; meetingId: string };
  }

  async createActionItem(
    token: string,
    taskForceId: string,
    input: { assigneeMemberId?: string; assigneeAgencyId?: string; meetingId?: string; title?: string } = {},
  ) {
    const dueOn = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    const { createActionItem } = await this.gql(
      `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id title status priority dueOn assigneeMember { id } assigneeAgency { id } meeting { id } caseSummary { id } } }`,
      {
        input: {
          taskForceId,
          title: input.title ?? `Item ${unique()}`,
          dueOn,
          assignee: { memberId: input.assigneeMemberId ?? null, agencyId: input.assigneeAgencyId ?? null },
          meetingId: input.meetingId ?? null,
        },
      },
      token,
    );
    return createActionItem as {
      id: string;
      title: string;
      status: string;
      priority: string;
      dueOn: string;
      assigneeMember: { id: string } | null;
      assigneeAgency: { id: string } | null;
      meeting: { id: string } | null;
    };
  }

  async changeActionItemStatus(token: string, id: string, status: string, reason?: string) {
    return (
      await this.gql(
        `mutation($id: ID!, $status: ActionItemStatus!, $reason: String) { changeActionItemStatus(id: $id, status: $status, reason: $reason) { id status } }`,
        { id, status, reason },
        token,
      )
    ).changeActionItemStatus;
  }

  async commentOnActionItem(token: string, id: string, text: string) {
    const { commentOnActionItem } = await this.gql(
      `mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id text } }`,
      { id, text },
      token,
    );
    return commentOnActionItem as { id: string; text: string };
  }

  async createCaseSummary(
    token: string,
    taskForceId: string,
    sections: Record<string, string> = {},
    caseCode = `CS-${unique()}`,
  ) {
    const { createCaseSummary } = await this.gql(
      `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id caseCode version } }`,
      { input: { taskForceId, caseCode, stage: 'IDENTIFICATION', sections } },
      token,
    );
    return createCaseSummary as { id: string; caseCode: string; version: number };
  }

  async updateCaseSummary(token: string, id: string, baseVersion: number, changes: Record<string, unknown>) {
    const { updateCaseSummary } = await this.gql(
      `mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id caseCode version } }`,
      { input: { id, baseVersion, ...changes } },
      token,
    );
    return updateCaseSummary as { id: string; caseCode: string; version: number };
  }

  async addMembership(token: string, taskForceId: string, email: string, role: TaskForceRole) {
    const { addMembership } = await this.gql(
      `mutation($input: AddMembershipInput!) { addMembership(input: $input) { id role } }`,
      { input: { taskForceId, email, role } },
      token,
    );
    return addMembership as { id: string; role: string };
  }

  async changeMembershipRole(token: string, membershipId: string, role: TaskForceRole) {
    return (
      await this.gql(
        `mutation($input: ChangeMembershipRoleInput!) { changeMembershipRole(input: $input) { id role } }`,
        { input: { membershipId, role } },
        token,
      )
    ).changeMembershipRole;
  }

  async removeMembership(token: string, membershipId: string) {
    return (
      await this.gql(
        `mutation($id: ID!) { removeMembership(membershipId: $id) { id role } }`,
        { id: membershipId },
        token,
      )
    ).removeMembership;
  }

  async disableMember(adminToken: string, memberId: string) {
    return (await this.gql(`mutation($id: ID!) { disableMember(memberId: $id) { id } }`, { id: memberId }, adminToken))
      .disableMember;
  }

  async logout(token: string): Promise<boolean> {
    return (await this.gql<{ logout: boolean }>('mutation { logout }', {}, token)).logout;
  }

  /**
   * Every kind of domain event of a task force, one mutation each, in a known order. `coordinator`
   * must be able to write the overview and investigation (a POLICE coordinator); `assignee` is a
   * member of the task force. Returns the expected envelopes' type and data, in cursor order.
   */
  async everyKind(
    coordinator: SignedIn,
    taskForceId: string,
    assignee: Member,
    texts: { overview: string; investigation: string; note: string; decision: string; comment: string },
  ): Promise<{ type: string; data: Record<string, unknown>; meetingId: string | null }[]> {
    const token = coordinator.token;
    const steps: { type: string; data: Record<string, unknown>; meetingId: string | null }[] = [];
    const step = (type: string, data: Record<string, unknown>, meetingId: string | null = null) =>
      steps.push({ type, data, meetingId });

    const meeting = await this.scheduleMeeting(token, taskForceId);
    const meetingId = meeting.id;
    step(
      'meeting.scheduled',
      { meetingId, title: meeting.title, startsAt: meeting.startsAt, endsAt: meeting.endsAt },
      meetingId,
    );

    const edited = await this.editMeeting(token, meetingId, { place: 'Sala de consiliu' });
    step(
      'meeting.updated',
      {
        meetingId,
        title: edited.title,
        startsAt: edited.startsAt,
        endsAt: edited.endsAt,
        place: 'Sala de consiliu',
        callLink: null,
      },
      meetingId,
    );

    const added = await this.addAgendaItem(token, meetingId, 'Any other business');
    const agenda = [...meeting.agenda, added].map((item) => ({
      id: item.id,
      position: item.position,
      title: item.title,
      presenterId: null,
      caseSummaryId: null,
      timeBoxMinutes: null,
    }));
    step('meeting.agendaChanged', { meetingId, agenda }, meetingId);

    await this.startMeeting(token, meetingId);
    step('meeting.started', { meetingId, currentAgendaItemId: meeting.agenda[0].id }, meetingId);

    const attendance = await this.checkIn(token, meetingId);
    step(
      'meeting.attendanceChanged',
      {
        meetingId,
        attendanceId: attendance.id,
        memberId: coordinator.member.id,
        mode: 'IN_PERSON',
        arrivedAt: attendance.arrivedAt,
        leftAt: null,
      },
      meetingId,
    );

    const note = await this.addMinuteNote(token, meetingId, meeting.agenda[0].id, texts.note);
    step(
      'meeting.noteAdded',
      {
        meetingId,
        agendaItemId: meeting.agenda[0].id,
        noteId: note.id,
        authorId: coordinator.member.id,
        text: texts.note,
      },
      meetingId,
    );

    const decision = await this.recordDecision(token, meetingId, meeting.agenda[0].id, texts.decision);
    step(
      'meeting.decisionRecorded',
      {
        meetingId,
        agendaItemId: meeting.agenda[0].id,
        decisionId: decision.id,
        text: texts.decision,
        caseSummaryId: null,
        reviewOn: null,
        actionItemIds: [],
      },
      meetingId,
    );

    await this.advanceAgenda(token, meetingId);
    step('meeting.agendaAdvanced', { meetingId, currentAgendaItemId: meeting.agenda[1].id }, meetingId);

    const summary = await this.createCaseSummary(token, taskForceId, {
      overview: texts.overview,
      investigation: texts.investigation,
    });
    step('caseSummary.created', {
      caseSummaryId: summary.id,
      caseCode: summary.caseCode,
      version: 1,
      changed: ['caseCode', 'stage', 'OVERVIEW', 'INVESTIGATION'],
    });

    const updated = await this.updateCaseSummary(token, summary.id, 1, {
      counts: { victims: 3 },
      sections: { investigation: `${texts.investigation} (updated)` },
    });
    step('caseSummary.updated', {
      caseSummaryId: summary.id,
      caseCode: summary.caseCode,
      version: updated.version,
      changed: ['counts', 'INVESTIGATION'],
    });

    const item = await this.createActionItem(token, taskForceId, { assigneeMemberId: assignee.id, meetingId });
    const itemData = {
      actionItemId: item.id,
      title: item.title,
      status: 'OPEN',
      priority: item.priority,
      dueOn: item.dueOn,
      assigneeMemberId: assignee.id,
      assigneeAgencyId: item.assigneeAgency?.id ?? null,
      meetingId,
      caseSummaryId: null,
    };
    step('actionItem.created', itemData, meetingId);

    await this.changeActionItemStatus(token, item.id, 'IN_PROGRESS');
    step('actionItem.updated', { ...itemData, status: 'IN_PROGRESS', changes: ['status'] }, meetingId);

    const comment = await this.commentOnActionItem(token, item.id, texts.comment);
    step(
      'actionItem.commented',
      { actionItemId: item.id, commentId: comment.id, authorId: coordinator.member.id, text: texts.comment },
      meetingId,
    );

    await this.endMeeting(token, meetingId);
    step('meeting.ended', { meetingId }, meetingId);

    const other = await this.scheduleMeeting(token, taskForceId, []);
    step(
      'meeting.scheduled',
      { meetingId: other.id, title: other.title, startsAt: other.startsAt, endsAt: other.endsAt },
      other.id,
    );
    await this.cancelMeeting(token, other.id, 'Moved to next week');
    step('meeting.cancelled', { meetingId: other.id, reason: 'Moved to next week' }, other.id);

    const newcomer = await this.identity.member({ kind: AgencyKind.LABOUR_INSPECTION });
    const membership = await this.addMembership(token, taskForceId, newcomer.email, TaskForceRole.OBSERVER);
    step('membership.added', { membershipId: membership.id, memberId: newcomer.id, role: 'OBSERVER' });
    await this.changeMembershipRole(token, membership.id, TaskForceRole.MEMBER);
    step('membership.roleChanged', { membershipId: membership.id, memberId: newcomer.id, role: 'MEMBER' });
    await this.removeMembership(token, membership.id);
    step('membership.removed', { membershipId: membership.id, memberId: newcomer.id, role: 'MEMBER' });

    return steps;
  }
}
