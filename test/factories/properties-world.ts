import { AgencyKind, TaskForceRole } from '@hub/access';
import { type Agency, Member, type Membership } from '@hub/identity';
import { MeetingStatus } from '@hub/meetings';
import { Notification } from '@hub/notifications';
import { TaskForce } from '@hub/task-forces';
import { randomBytes, randomUUID } from 'node:crypto';
import { type TestApp } from '../utils/test-app';
import { isRef, type Ref } from './hostile';
import { IdentityFactory, login, spentAgo } from './identity.factory';
import { type MeetingRows, MeetingsFactory } from './meetings.factory';

export type ActorName =
  'coordinator' | 'victimWriter' | 'member' | 'observer' | 'admin' | 'outsider' | 'anonymous' | 'freshSession';

export interface Person {
  member: Member;
  membership?: Membership;
  token: string;
}

/** What a spec asks of the fresh objects its run creates. */
export interface FreshOptions {
  meetingStatus?: MeetingStatus;
  /** The acting member is checked in to the fresh meeting (for checkOut). */
  checkedIn?: boolean;
}

/** Letters only: hex digits next to letters could look like a document number to the identifier screen. */
const unique = () => [...randomBytes(6)].map((byte) => String.fromCharCode(65 + (byte % 26))).join('');

/**
 * Two task forces with people of every role and a few long-lived objects, and for each property run
 * fresh objects on demand: the generated variables name objects symbolically (`hostile.ts` `ref`),
 * and `Run.resolve` turns them into ids just before the call.
 */
export class PropertiesWorld {
  readonly identity: IdentityFactory;
  readonly meetings: MeetingsFactory;
  taskForce!: TaskForce;
  otherTaskForce!: TaskForce;
  police!: Agency;
  court!: Agency;
  people!: Record<Exclude<ActorName, 'anonymous' | 'freshSession'>, Person>;
  bystander!: { member: Member; membership: Membership };
  loginMember!: Member;
  shared!: { meeting: MeetingRows; caseSummaryId: string; actionItemId: string };
  other!: { meeting: MeetingRows; member: Member; membership: Membership; caseSummaryId: string; actionItemId: string };

  private constructor(readonly app: TestApp) {
    this.identity = new IdentityFactory(app);
    this.meetings = new MeetingsFactory(app);
  }

  static async build(app: TestApp): Promise<PropertiesWorld> {
    const world = new PropertiesWorld(app);
    await world.setUp();
    return world;
  }

  private async person(
    taskForce: TaskForce | null,
    role: TaskForceRole,
    agency: Agency,
    admin = false,
  ): Promise<Person> {
    const member = await this.identity.member({ agency, admin });
    const membership = taskForce ? await this.identity.membership(taskForce, member, role) : undefined;
    return { member, membership, token: (await login(this.app, member.email)).accessToken };
  }

  private async setUp(): Promise<void> {
    const make = this.identity;
    this.taskForce = await make.taskForce();
    this.otherTaskForce = await make.taskForce();
    this.police = await make.agency(AgencyKind.POLICE);
    this.court = await make.agency(AgencyKind.COURT);
    const diicot = await make.agency(AgencyKind.ORGANISED_CRIME_PROSECUTION);
    const national = await make.agency(AgencyKind.NATIONAL_AGENCY);
    this.people = {
      // Writes overview, investigation and prosecution.
      coordinator: await this.person(this.taskForce, TaskForceRole.COORDINATOR, diicot),
      // Writes overview and victim support.
      victimWriter: await this.person(this.taskForce, TaskForceRole.COORDINATOR, national),
      member: await this.person(this.taskForce, TaskForceRole.MEMBER, this.police),
      observer: await this.person(this.taskForce, TaskForceRole.OBSERVER, this.court),
      admin: await this.person(null, TaskForceRole.MEMBER, this.police, true),
      outsider: await this.person(this.otherTaskForce, TaskForceRole.COORDINATOR, diicot),
    };
    const bystander = await make.member({ agency: this.police });
    this.bystander = {
      member: bystander,
      membership: await make.membership(this.taskForce, bystander, TaskForceRole.MEMBER),
    };
    this.loginMember = await make.member({ agency: this.police });

    const coordinator = this.people.coordinator;
    this.shared = {
      meeting: await this.meetings.meeting(this.taskForce, coordinator.member, { agenda: ['One', 'Two', 'Three'] }),
      caseSummaryId: await this.createCaseSummary(coordinator.token, this.taskForce.id),
      actionItemId: await this.createActionItem(coordinator.token, this.taskForce.id),
    };
    const outsider = this.people.outsider;
    const otherMember = await make.member({ agency: this.police });
    this.other = {
      meeting: await this.meetings.meeting(this.otherTaskForce, outsider.member, {
        status: MeetingStatus.LIVE,
        agenda: ['Elsewhere', 'Later'],
      }),
      member: otherMember,
      membership: await make.membership(this.otherTaskForce, otherMember, TaskForceRole.MEMBER),
      caseSummaryId: await this.createCaseSummary(outsider.token, this.otherTaskForce.id),
      actionItemId: await this.createActionItem(outsider.token, this.otherTaskForce.id),
    };
  }

  private async gql(query: string, variables: Record<string, unknown>, token: string) {
    return this.app.gql.data(query, variables, { token });
  }

  async createCaseSummary(token: string, taskForceId: string): Promise<string> {
    const { createCaseSummary } = await this.gql(
      'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }',
      {
        input: {
          taskForceId,
          caseCode: `CS-${unique()}`,
          stage: 'INVESTIGATION',
          sections: { overview: 'Overview text.', investigation: 'Investigation text.' },
        },
      },
      token,
    );
    return createCaseSummary.id;
  }

  /** A weekly series (and its first meeting) in the task force, set up by its coordinator `token`. */
  async createSeries(token: string, taskForceId: string): Promise<string> {
    const { createMeetingSeries } = await this.gql(
      `mutation($input: CreateMeetingSeriesInput!) { createMeetingSeries(input: $input) { series { id } } }`,
      {
        input: {
          taskForceId,
          title: `Series ${unique()}`,
          cadence: 'WEEKLY',
          weekday: 2,
          interval: 2,
          startTime: '10:00',
          durationMinutes: 60,
          startsOn: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        },
      },
      token,
    );
    return createMeetingSeries.series.id;
  }

  /** A minutes note on a live meeting's first item, written by `token`'s member. */
  async createNote(token: string, meetingId: string, agendaItemId: string): Promise<string> {
    const { addMinuteNote } = await this.gql(
      'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }',
      { input: { meetingId, agendaItemId, text: 'The note as first written.' } },
      token,
    );
    return addMinuteNote.id;
  }

  async createActionItem(token: string, taskForceId: string): Promise<string> {
    const dueOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const { createActionItem } = await this.gql(
      'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
      { input: { taskForceId, title: `Item ${unique()}`, dueOn, assignee: { agencyId: this.police.id } } },
      token,
    );
    return createActionItem.id;
  }

  run(options: FreshOptions = {}): Run {
    return new Run(this, options);
  }
}

/** One property run: creates fresh objects on first use and remembers them for the rest of the run. */
export class Run {
  private readonly cache = new Map<string, Promise<unknown>>();
  /** Notes for the success and refusal checks (for example, which refresh token was spent). */
  readonly notes: Record<string, unknown> = {};
  actor: ActorName = 'coordinator';
  token?: string;

  constructor(
    readonly world: PropertiesWorld,
    readonly options: FreshOptions,
  ) {}

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as Promise<T>;
  }

  /** The bearer token for `actor` (a fresh session for 'freshSession', none for 'anonymous'). */
  async tokenFor(actor: ActorName): Promise<string | undefined> {
    this.actor = actor;
    if (actor === 'anonymous') return undefined;
    if (actor === 'freshSession')
      return this.once('session', async () => (await login(this.world.app, this.world.loginMember.email)).accessToken);
    return this.world.people[actor].token;
  }

  /** A row in a member's inbox (what an assignment would have written), for the inbox mutations. */
  private async notificationOf(memberId: string, taskForceId: string): Promise<number> {
    const em = this.world.app.em();
    const row = em.create(Notification, {
      member: em.getReference(Member, memberId),
      taskForce: em.getReference(TaskForce, taskForceId),
      kind: 'ASSIGNED',
      subjectType: 'actionItem',
      subjectId: this.world.shared.actionItemId,
      createdAt: new Date(),
    });
    await em.flush();
    return row.id;
  }

  private actingMember(): Member {
    const actor = this.actor === 'anonymous' || this.actor === 'freshSession' ? 'coordinator' : this.actor;
    return this.world.people[actor].member;
  }

  freshMeeting(): Promise<MeetingRows> {
    return this.once('meeting', async () => {
      const w = this.world;
      const rows = await w.meetings.meeting(w.taskForce, w.people.coordinator.member, {
        status: this.options.meetingStatus ?? MeetingStatus.SCHEDULED,
        agenda: ['First item', 'Second item', 'Third item'],
      });
      const token = this.actor === 'anonymous' ? undefined : await this.tokenFor(this.actor);
      if (this.options.checkedIn && token) {
        // May be refused (an administrator is not a member): the run then exercises that refusal.
        await w.app.gql.request(
          'mutation($id: ID!) { checkIn(meetingId: $id, mode: REMOTE) { id } }',
          { id: rows.meeting.id },
          { token },
        );
      }
      return rows;
    });
  }

  /** A consent the coordinator's agency recorded for the shared case: assistance, to the police, overview and investigation. */
  private async freshConsent(): Promise<string> {
    const w = this.world;
    const { recordConsent } = await w.app.gql.data(
      'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { consent { id } } }',
      {
        i: {
          caseSummaryId: w.shared.caseSummaryId,
          given: true,
          purposes: ['ASSISTANCE'],
          receiverAgencyIds: [w.police.id],
          sections: ['OVERVIEW', 'INVESTIGATION'],
          language: 'română',
          interpreterUsed: false,
          explainedPoints: ['PURPOSE', 'DATA_USE', 'RETENTION', 'ACCESS_RIGHT', 'WITHDRAWAL'],
          readBack: true,
        },
      },
      { token: w.people.coordinator.token },
    );
    return recordConsent.consent.id;
  }

  /** A referral from the coordinator's agency to the police (the member's agency), requested. */
  private async freshReferral(): Promise<string> {
    const w = this.world;
    await this.freshConsent();
    const { requestReferral } = await w.app.gql.data(
      'mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }',
      {
        i: {
          caseSummaryId: w.shared.caseSummaryId,
          toAgencyId: w.police.id,
          purpose: 'ASSISTANCE',
          sections: ['OVERVIEW'],
        },
      },
      { token: w.people.coordinator.token },
    );
    return requestReferral.id;
  }

  private async freshHearing(): Promise<string> {
    const w = this.world;
    const { scheduleHearing } = await w.app.gql.data(
      'mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { id } }',
      {
        i: {
          caseSummaryId: w.shared.caseSummaryId,
          court: 'Tribunalul București',
          startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
          kind: 'TRIAL',
        },
      },
      { token: w.people.coordinator.token },
    );
    return scheduleHearing.id;
  }

  private freshMember(): Promise<Member> {
    return this.once('member', async () => {
      const member = await this.world.identity.member({ agency: this.world.police });
      await this.world.identity.membership(this.world.taskForce, member, TaskForceRole.MEMBER);
      return member;
    });
  }

  private async id(ref: Ref): Promise<unknown> {
    const w = this.world;
    const { $ref: kind, which } = ref;
    const pick = async (choices: Record<string, () => Promise<unknown> | unknown>) => {
      const choice = choices[which];
      if (!choice) throw new Error(`No "${which}" for ${kind}`);
      return choice();
    };
    switch (kind) {
      case 'taskForce':
        return pick({
          fresh: () => w.taskForce.id,
          shared: () => w.taskForce.id,
          other: () => w.otherTaskForce.id,
          wrongKind: () => w.shared.meeting.meeting.id,
        });
      case 'meeting':
        return pick({
          fresh: async () => (await this.freshMeeting()).meeting.id,
          shared: () => w.shared.meeting.meeting.id,
          other: () => w.other.meeting.meeting.id,
          wrongKind: () => w.shared.caseSummaryId,
        });
      case 'agendaItem':
        return pick({
          fresh: async () => (await this.freshMeeting()).agenda[0].id,
          freshLast: async () => (await this.freshMeeting()).agenda[2].id,
          shared: () => w.shared.meeting.agenda[0].id,
          other: () => w.other.meeting.agenda[0].id,
          wrongKind: async () => (await this.freshMeeting()).meeting.id,
        });
      case 'caseSummary':
        return pick({
          fresh: () => this.once('caseSummary', () => w.createCaseSummary(w.people.coordinator.token, w.taskForce.id)),
          shared: () => w.shared.caseSummaryId,
          other: () => w.other.caseSummaryId,
          wrongKind: () => w.shared.actionItemId,
        });
      case 'actionItem':
        return pick({
          fresh: () => this.once('actionItem', () => w.createActionItem(w.people.coordinator.token, w.taskForce.id)),
          shared: () => w.shared.actionItemId,
          other: () => w.other.actionItemId,
          wrongKind: () => w.shared.caseSummaryId,
        });
      case 'notification':
        return pick({
          fresh: () => this.notificationOf(this.actingMember().id, w.taskForce.id),
          shared: () => this.notificationOf(w.bystander.member.id, w.taskForce.id),
          other: () => this.notificationOf(w.other.member.id, w.otherTaskForce.id),
          wrongKind: () => 2_000_000_000,
        });
      case 'series':
        return pick({
          fresh: () => this.once('series', () => w.createSeries(w.people.coordinator.token, w.taskForce.id)),
          shared: () => this.once('seriesShared', () => w.createSeries(w.people.coordinator.token, w.taskForce.id)),
          other: () => this.once('seriesOther', () => w.createSeries(w.people.outsider.token, w.otherTaskForce.id)),
          wrongKind: () => w.shared.meeting.meeting.id,
        });
      case 'note':
        return pick({
          // Written by the actor where they may write notes (so a correction can succeed), else by the coordinator.
          fresh: () =>
            this.once('note', async () => {
              const meeting = await this.freshMeeting();
              const writer = ['coordinator', 'member'].includes(this.actor)
                ? this.world.people[this.actor as 'coordinator' | 'member']
                : w.people.coordinator;
              return w.createNote(writer.token, meeting.meeting.id, meeting.agenda[0].id);
            }),
          shared: () =>
            this.once('noteShared', async () => {
              const meeting = await this.freshMeeting();
              return w.createNote(w.people.coordinator.token, meeting.meeting.id, meeting.agenda[0].id);
            }),
          other: () =>
            this.once('noteOther', () =>
              w.createNote(w.people.outsider.token, w.other.meeting.meeting.id, w.other.meeting.agenda[0].id),
            ),
          wrongKind: async () => (await this.freshMeeting()).agenda[0].id,
        });
      case 'membership':
        return pick({
          fresh: () =>
            this.once('membership', async () => {
              const member = await w.identity.member({ agency: w.police });
              return (await w.identity.membership(w.taskForce, member, TaskForceRole.MEMBER)).id;
            }),
          shared: () => w.bystander.membership.id,
          other: () => w.other.membership.id,
          wrongKind: () => w.bystander.member.id,
        });
      case 'member':
        return pick({
          fresh: async () => (await this.freshMember()).id,
          self: () => this.actingMember().id,
          shared: () => w.bystander.member.id,
          other: () => w.other.member.id,
          wrongKind: () => w.police.id,
        });
      case 'agency':
        return pick({
          fresh: () => w.police.id,
          shared: () => w.police.id,
          other: () => w.court.id,
          wrongKind: () => w.bystander.member.id,
        });
      case 'email':
        return pick({
          fresh: () => this.once('email', async () => (await w.identity.member({ agency: w.police })).email),
          shared: () => w.bystander.member.email,
          other: () => w.other.member.email,
          wrongKind: () => `ghost-${unique().toLowerCase()}@test.local`,
          newAddress: () => `new-${unique().toLowerCase()}@test.local`,
          login: () => w.loginMember.email,
        });
      case 'refreshToken':
        return pick({
          fresh: async () => (await login(w.app, w.loginMember.email)).refreshToken,
          // Spent: rotated once already, longer ago than a client retrying a lost answer would present it
          // again. Presenting it is reuse, which ends that session (by design).
          shared: async () => {
            const first = await login(w.app, w.loginMember.email);
            await w.app.gql.data('mutation($t: String!) { refreshToken(token: $t) { accessToken } }', {
              t: first.refreshToken,
            });
            await spentAgo(w.app, first.refreshToken);
            this.notes.spentToken = true;
            return first.refreshToken;
          },
          other: async () => (await login(w.app, w.loginMember.email)).accessToken,
          wrongKind: () => randomBytes(32).toString('base64url'),
        });
      case 'serviceAccount':
        return pick({
          fresh: () =>
            this.once('serviceAccount', () => this.serviceAccount(w.people.coordinator.token, w.taskForce.id)),
          shared: () =>
            this.once('serviceAccount', () => this.serviceAccount(w.people.coordinator.token, w.taskForce.id)),
          other: () =>
            this.once('otherServiceAccount', () => this.serviceAccount(w.people.outsider.token, w.otherTaskForce.id)),
          wrongKind: () => w.shared.actionItemId,
        });
      case 'apiKey':
        return pick({
          fresh: async () =>
            this.once('apiKey', async () =>
              this.apiKey(
                w.people.coordinator.token,
                (await this.id({ $ref: 'serviceAccount', which: 'fresh' })) as string,
              ),
            ),
          shared: async () =>
            this.once('apiKey', async () =>
              this.apiKey(
                w.people.coordinator.token,
                (await this.id({ $ref: 'serviceAccount', which: 'fresh' })) as string,
              ),
            ),
          other: async () =>
            this.once('otherApiKey', async () =>
              this.apiKey(
                w.people.outsider.token,
                (await this.id({ $ref: 'serviceAccount', which: 'other' })) as string,
              ),
            ),
          wrongKind: () => w.shared.caseSummaryId,
        });
      case 'webhook':
        return pick({
          fresh: async () =>
            this.once('webhook', async () =>
              this.webhook(
                w.people.coordinator.token,
                (await this.id({ $ref: 'serviceAccount', which: 'fresh' })) as string,
              ),
            ),
          shared: async () =>
            this.once('webhook', async () =>
              this.webhook(
                w.people.coordinator.token,
                (await this.id({ $ref: 'serviceAccount', which: 'fresh' })) as string,
              ),
            ),
          other: async () =>
            this.once('otherWebhook', async () =>
              this.webhook(
                w.people.outsider.token,
                (await this.id({ $ref: 'serviceAccount', which: 'other' })) as string,
              ),
            ),
          wrongKind: () => w.shared.caseSummaryId,
        });
      case 'consent':
        return pick({
          fresh: () => this.once('consent', () => this.freshConsent()),
          shared: () => this.once('consent', () => this.freshConsent()),
          other: () => w.other.caseSummaryId,
          wrongKind: () => w.shared.caseSummaryId,
        });
      case 'referral':
        return pick({
          fresh: () => this.once('referral', () => this.freshReferral()),
          shared: () => this.once('referral', () => this.freshReferral()),
          other: () => w.other.actionItemId,
          wrongKind: () => w.shared.caseSummaryId,
        });
      case 'hearing':
        return pick({
          fresh: () => this.once('hearing', () => this.freshHearing()),
          shared: () => this.once('hearing', () => this.freshHearing()),
          other: () => w.other.caseSummaryId,
          wrongKind: () => w.shared.actionItemId,
        });
      case 'agendaOrder': {
        const agenda = (await this.freshMeeting()).agenda.map((item) => item.id);
        return pick({
          fresh: () => [...agenda].reverse(),
          shared: () => agenda,
          other: () => agenda.slice(1),
          wrongKind: () => [agenda[0], agenda[0], agenda[1]],
          stray: () => [agenda[0], agenda[1], randomUUID()],
        });
      }
      default:
        throw new Error(`Unknown reference kind ${kind}`);
    }
  }

  private async serviceAccount(token: string, taskForceId: string): Promise<string> {
    const { createServiceAccount } = await this.world.app.gql.data(
      'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }',
      { input: { taskForceId, agencyId: this.world.police.id, name: `Client ${unique()}` } },
      { token },
    );
    return createServiceAccount.id;
  }

  private async apiKey(token: string, serviceAccountId: string): Promise<string> {
    const { createApiKey } = await this.world.app.gql.data(
      'mutation($id: ID!) { createApiKey(serviceAccountId: $id) { key { id } } }',
      { id: serviceAccountId },
      { token },
    );
    return createApiKey.key.id;
  }

  private async webhook(token: string, serviceAccountId: string): Promise<string> {
    const { registerWebhook } = await this.world.app.gql.data(
      'mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { endpoint { id } } }',
      { input: { serviceAccountId, url: 'https://receiver.example.org/hook', eventTypes: ['actionItem.created'] } },
      { token },
    );
    return registerWebhook.endpoint.id;
  }

  /** Replaces every symbolic reference in `value` with a real id (creating fresh objects as needed). */
  async resolve(value: unknown): Promise<unknown> {
    if (isRef(value)) return this.id(value);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) out.push(await this.resolve(item));
      return out;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = await this.resolve(item);
      return out;
    }
    return value;
  }
}
