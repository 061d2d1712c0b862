import { AgencyKind, TaskForceRole } from '@hub/access';
import { MeetingStatus } from '@hub/meetings';
import fc from 'fast-check';
import {
  hostileCalendarDate,
  hostileEnum,
  hostileId,
  hostileInstant,
  hostileInt,
  hostileText,
  hostileTimes,
  optional,
  ref,
  strayId,
  stringsIn,
  withShapeBreaks,
} from '../factories/hostile';
import { type ActorName, type FreshOptions, type PropertiesWorld, type Run } from '../factories/properties-world';
import { changedTables, type DbSnapshot, latestRows, rowDelta, snapshot } from './db-snapshot';
import { problemWith, rawGraphQL, type RawResult } from './graphql-invariants';

/** What a successful call is checked against. */
export interface SuccessCheck {
  data: any;
  variables: any;
  run: Run;
  before: DbSnapshot;
  after: DbSnapshot;
  world: PropertiesWorld;
}

/**
 * One mutation of the schema, with generators for its variables. `events` is how many outbox rows a
 * success writes (libs/events: every task-force change records exactly one event in its transaction).
 */
export interface MutationSpec {
  name: string;
  area: 'identity' | 'meetings' | 'work' | 'referrals';
  document: string;
  actors: fc.Arbitrary<ActorName>;
  variables: fc.Arbitrary<Record<string, unknown>>;
  fresh?: FreshOptions;
  /** Outbox rows written by a success. */
  events: number | ((check: SuccessCheck) => number);
  /** Tables a refusal may still write, by design (a failed login is audited). */
  refusalMayWrite?: (run: Run, result: RawResult) => string[];
  /** Reads the change back. */
  verify?: (check: SuccessCheck) => Promise<void>;
  numRuns?: number;
}

const mostly = (main: ActorName, ...others: ActorName[]): fc.Arbitrary<ActorName> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(main) },
    { weight: 2, arbitrary: fc.constantFrom<ActorName>(...others) },
  );

const TEAM: ActorName[] = ['member', 'observer', 'outsider', 'admin', 'anonymous'];
const ROLES = Object.values(TaskForceRole);
const KINDS = Object.values(AgencyKind);
const STAGES = ['IDENTIFICATION', 'INVESTIGATION', 'PROSECUTION', 'TRIAL', 'CLOSED'];
const FORMS = [
  'SEXUAL',
  'LABOUR',
  'FORCED_BEGGING',
  'FORCED_CRIMINALITY',
  'DOMESTIC_SERVITUDE',
  'FORCED_MARRIAGE',
  'ORGAN_REMOVAL',
  'OTHER',
];
const STATUSES = ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'DONE', 'CANCELLED'];
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
const PURPOSES = ['ASSISTANCE', 'SHELTER', 'LEGAL_AID', 'HEALTH', 'INTERPRETATION', 'REPATRIATION', 'COMPENSATION'];
const SECTION_NAMES = ['OVERVIEW', 'INVESTIGATION', 'PROSECUTION', 'VICTIM_SUPPORT'];
const CONSENT_POINTS = ['PURPOSE', 'DATA_USE', 'RETENTION', 'ACCESS_RIGHT', 'WITHDRAWAL'];
const REFERRAL_STATUSES = [
  'REQUESTED',
  'ACCEPTED',
  'DECLINED',
  'IN_SERVICE',
  'COMPLETED',
  'WITHDRAWN',
  'CONSENT_WITHDRAWN',
];
const READINESS_ITEMS = [
  'SUPPORT_WORKER',
  'INTERPRETER',
  'LEGAL_AID_LAWYER',
  'TESTIMONY_PROTECTION',
  'TRANSPORT',
  'PUBLICATION_DATA_REQUEST',
];

const code = (max: number) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.stringMatching(new RegExp(`^[A-Z][A-Z0-9-]{2,${Math.min(max, 12) - 1}}$`)) },
    { weight: 2, arbitrary: hostileText(max, { huge: false }) },
  );

const email = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.emailAddress() },
    { weight: 2, arbitrary: hostileText(254) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'UPPER@TEST.LOCAL',
        ' spaced@test.local ',
        'a@b',
        '@',
        'x@y.z\u0000',
        `${'a'.repeat(64)}@${'b'.repeat(180)}.ro`,
      ),
    },
  );

const url = () =>
  fc.oneof(
    { weight: 3, arbitrary: fc.webUrl({ validSchemes: ['https'] }) },
    { weight: 2, arbitrary: hostileText(500, { huge: false }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'http://insecure.example.org',
        'javascript:alert(1)',
        'https://',
        `https://e.org/${'p'.repeat(600)}`,
        'https://meet.example.org/room?id=1&x=<b>',
      ),
    },
  );

const agendaItem = () =>
  fc.record(
    {
      title: hostileText(200),
      presenterId: optional(hostileId('member')),
      caseSummaryId: optional(hostileId('caseSummary')),
      timeBoxMinutes: optional(hostileInt(1, 480)),
    },
    { requiredKeys: ['title'] },
  );

const sections = () =>
  fc.record(
    {
      overview: optional(hostileText(20_000)),
      investigation: optional(hostileText(20_000)),
      prosecution: optional(hostileText(20_000)),
      victimSupport: optional(hostileText(20_000)),
    },
    { requiredKeys: [] },
  );

const counts = () =>
  fc.record(
    {
      victims: optional(hostileInt(0, 100_000)),
      minors: optional(hostileInt(0, 100_000)),
      victimsInProceedings: optional(hostileInt(0, 100_000)),
      protectedWitnesses: optional(hostileInt(0, 100_000)),
    },
    { requiredKeys: [] },
  );

const vars = (shape: Record<string, fc.Arbitrary<unknown>>, requiredKeys?: string[]) =>
  withShapeBreaks(
    fc.record(shape, requiredKeys ? { requiredKeys } : undefined) as fc.Arbitrary<Record<string, unknown>>,
  );

const input = (shape: Record<string, fc.Arbitrary<unknown>>, requiredKeys: string[]) =>
  withShapeBreaks(fc.record({ input: fc.record(shape, { requiredKeys }) }) as fc.Arbitrary<Record<string, unknown>>);

async function exists(world: PropertiesWorld, table: string, id: unknown): Promise<void> {
  const rows = await world.app.em().getConnection().execute(`select id from "${table}" where id = ?`, [id], 'all');
  if (rows.length !== 1) throw new Error(`${table} ${String(id)} was answered as created but cannot be read back`);
}

/** Lone surrogates become U+FFFD, as any UTF-8 store does (String.prototype.toWellFormed). */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** What a person reads back equals what they sent, once trimmed (and with lone surrogates made well-formed). */
function sameText(label: string, stored: unknown, sent: unknown, trim = true): void {
  if (typeof sent !== 'string') return;
  const expected = trim ? sent.trim() : sent;
  // SQLite keeps a lone surrogate; PostgreSQL (UTF-8) stores U+FFFD in its place. Either is the text sent.
  if (stored !== expected && stored !== wellFormed(expected))
    throw new Error(
      `${label} read back as ${JSON.stringify(stored)?.slice(0, 120)}, sent ${JSON.stringify(sent).slice(0, 120)}`,
    );
}

/** Reads as the person who made the change (an outsider's success is in their own task force). */
async function read({ world, run }: SuccessCheck, query: string, variables: Record<string, unknown>) {
  const actor = run.actor in world.people ? (run.actor as keyof PropertiesWorld['people']) : 'coordinator';
  return world.app.gql.data(query, variables, { token: world.people[actor].token });
}

const ITEM_FIELDS = 'id title description status priority dueOn';

export const MUTATION_SPECS: MutationSpec[] = [
  // ---------------------------------------------------------------- identity and task forces
  {
    name: 'login',
    area: 'identity',
    document:
      'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken expiresAt } }',
    actors: fc.constant('anonymous'),
    variables: vars({
      email: fc.oneof({ weight: 2, arbitrary: fc.constant(ref('email', 'login')) }, { weight: 3, arbitrary: email() }),
      password: fc.oneof(
        { weight: 2, arbitrary: fc.constant('correct horse battery staple') },
        { weight: 3, arbitrary: hostileText(256) },
      ),
    }),
    events: 0,
    refusalMayWrite: () => ['audit_record'],
    verify: async ({ data, before, after }) => {
      if (!data.accessToken || !data.refreshToken) throw new Error('login answered without tokens');
      if (rowDelta(before, after, 'auth_session') !== 1) throw new Error('a login must open exactly one session');
    },
    numRuns: 20,
  },
  {
    name: 'refreshToken',
    area: 'identity',
    document: 'mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken expiresAt } }',
    actors: fc.constant('anonymous'),
    variables: vars({
      token: fc.oneof({ weight: 4, arbitrary: hostileId('refreshToken') }, { weight: 2, arbitrary: hostileText(256) }),
    }),
    events: 0,
    // Presenting a spent token is reuse: the session ends, and that is audited and announced.
    refusalMayWrite: (run) => (run.notes.spentToken ? ['audit_record', 'auth_session', 'domain_event'] : []),
    verify: async ({ data }) => {
      if (!data.accessToken || !data.refreshToken) throw new Error('refresh answered without tokens');
    },
    numRuns: 20,
  },
  {
    name: 'logout',
    area: 'identity',
    document: 'mutation { logout }',
    actors: fc.constantFrom<ActorName>('freshSession', 'freshSession', 'anonymous'),
    variables: withShapeBreaks(fc.constant({})),
    events: 1,
    numRuns: 10,
  },
  {
    name: 'createTaskForce',
    area: 'identity',
    document:
      'mutation($input: CreateTaskForceInput!) { createTaskForce(input: $input) { id code name region courtOfAppeal counties } }',
    actors: mostly('admin', 'coordinator', 'member', 'anonymous'),
    variables: input(
      {
        code: code(16),
        name: hostileText(120),
        region: hostileText(120),
        courtOfAppeal: hostileText(120),
        counties: fc.oneof(
          { weight: 5, arbitrary: fc.array(hostileText(60, { huge: false }), { minLength: 1, maxLength: 4 }) },
          { weight: 1, arbitrary: fc.constantFrom([], Array(51).fill('Dolj')) },
        ),
      },
      ['code', 'name', 'region', 'courtOfAppeal', 'counties'],
    ),
    events: 0,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'task_force', data.id);
      sameText('name', data.name, variables.input.name, false);
    },
    numRuns: 25,
  },
  {
    name: 'addMembership',
    area: 'identity',
    document: 'mutation($input: AddMembershipInput!) { addMembership(input: $input) { id role member { id email } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        taskForceId: hostileId('taskForce'),
        email: fc.oneof({ weight: 3, arbitrary: hostileId('email') }, { weight: 1, arbitrary: email() }),
        role: hostileEnum(ROLES),
      },
      ['taskForceId', 'email', 'role'],
    ),
    events: 1,
    verify: async ({ data, world }) => exists(world, 'membership', data.id),
  },
  {
    name: 'changeMembershipRole',
    area: 'identity',
    document: 'mutation($input: ChangeMembershipRoleInput!) { changeMembershipRole(input: $input) { id role } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input({ membershipId: hostileId('membership'), role: hostileEnum(ROLES) }, ['membershipId', 'role']),
    // Unchanged role: nothing to record.
    events: ({ before, after }) => (changedTables(before, after).includes('membership') ? 1 : 0),
    verify: async ({ data, variables, world }) => {
      const [row] = await world.app
        .em()
        .getConnection()
        .execute('select role from "membership" where id = ?', [data.id], 'all');
      if (row?.role !== variables.input.role)
        throw new Error(`membership role is ${row?.role}, asked ${variables.input.role}`);
    },
  },
  {
    name: 'removeMembership',
    area: 'identity',
    document: 'mutation($membershipId: ID!) { removeMembership(membershipId: $membershipId) { id role } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ membershipId: hostileId('membership') }),
    events: 1,
    verify: async ({ data, world }) => {
      const rows = await world.app
        .em()
        .getConnection()
        .execute('select id from "membership" where id = ?', [data.id], 'all');
      if (rows.length) throw new Error('removed membership still there');
    },
  },
  {
    name: 'createAgency',
    area: 'identity',
    document: 'mutation($input: CreateAgencyInput!) { createAgency(input: $input) { id name kind } }',
    actors: mostly('admin', 'coordinator', 'anonymous'),
    variables: input({ name: hostileText(160), kind: hostileEnum(KINDS) }, ['name', 'kind']),
    events: 0,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'agency', data.id);
      sameText('name', data.name, variables.input.name);
    },
  },
  {
    name: 'createMember',
    area: 'identity',
    document: 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id email displayName } }',
    actors: mostly('admin', 'coordinator', 'member', 'anonymous'),
    variables: input(
      {
        email: fc.oneof(
          { weight: 3, arbitrary: fc.constant(ref('email', 'newAddress')) },
          { weight: 1, arbitrary: hostileId('email') },
          { weight: 2, arbitrary: email() },
        ),
        displayName: hostileText(120),
        agencyId: hostileId('agency'),
        password: fc.oneof(
          { weight: 3, arbitrary: fc.constant('a long enough password') },
          { weight: 2, arbitrary: hostileText(256) },
        ),
        isPlatformAdmin: optional(fc.oneof(fc.boolean(), fc.constantFrom('yes', 1))),
        taskForceId: optional(hostileId('taskForce')),
        role: optional(hostileEnum(ROLES)),
      },
      ['email', 'displayName', 'agencyId', 'password'],
    ),
    events: ({ variables }) => (variables.input.taskForceId ? 1 : 0),
    verify: async ({ data, world }) => exists(world, 'member', data.id),
    numRuns: 40,
  },
  {
    name: 'disableMember',
    area: 'identity',
    document: 'mutation($memberId: ID!) { disableMember(memberId: $memberId) { id } }',
    actors: mostly('admin', 'coordinator', 'anonymous'),
    variables: vars({ memberId: hostileId('member') }),
    // A system event (no cursor) the first time; disabling twice changes nothing.
    events: ({ before, after }) => (changedTables(before, after).includes('member') ? 1 : 0),
    verify: async ({ data, world }) => {
      const [row] = await world.app
        .em()
        .getConnection()
        .execute('select disabled_at from "member" where id = ?', [data.id], 'all');
      if (!row?.disabled_at) throw new Error('member answered as disabled is not');
    },
  },
  {
    name: 'setNationalProgrammeRole',
    area: 'identity',
    document:
      'mutation($memberId: ID!, $granted: Boolean!) { setNationalProgrammeRole(memberId: $memberId, granted: $granted) { id } }',
    actors: mostly('admin', 'coordinator', 'member', 'anonymous'),
    variables: vars({ memberId: hostileId('member'), granted: fc.oneof(fc.boolean(), fc.constantFrom('yes', 1)) }),
    // A system event (no cursor) when the role changes; granting what is already granted changes nothing.
    events: ({ before, after }) => (changedTables(before, after).includes('member') ? 1 : 0),
    verify: async ({ data, variables, world }) => {
      const [row] = await world.app
        .em()
        .getConnection()
        .execute('select is_national_programme from "member" where id = ?', [data.id], 'all');
      if (Boolean(row?.is_national_programme) !== variables.granted)
        throw new Error('the national programme role is not what was answered');
    },
  },
  // ---------------------------------------------------------------- service accounts and webhooks
  {
    name: 'createServiceAccount',
    area: 'identity',
    document:
      'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name scopes memberId } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: input(
      {
        taskForceId: hostileId('taskForce'),
        agencyId: hostileId('agency'),
        name: hostileText(120),
        scopes: optional(
          fc.oneof(
            { weight: 4, arbitrary: fc.subarray(['READ', 'SUBSCRIBE', 'WRITE']) },
            { weight: 1, arbitrary: fc.array(hostileEnum(['READ', 'SUBSCRIBE', 'WRITE']), { maxLength: 5 }) },
          ),
        ),
      },
      ['taskForceId', 'agencyId', 'name'],
    ),
    // Its member joins the task force: membership.added.
    events: 1,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'service_account', data.id);
      await exists(world, 'member', data.memberId);
      sameText('name', data.name, variables.input.name);
    },
    numRuns: 30,
  },
  {
    name: 'disableServiceAccount',
    area: 'identity',
    document: 'mutation($id: ID!) { disableServiceAccount(id: $id) { id disabledAt } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: vars({ id: hostileId('serviceAccount') }),
    events: ({ before, after }) => (changedTables(before, after).includes('service_account') ? 1 : 0),
    verify: async ({ data }) => {
      if (!data.disabledAt) throw new Error('service account answered as disabled is not');
    },
    numRuns: 20,
  },
  {
    name: 'createApiKey',
    area: 'identity',
    document:
      'mutation($id: ID!, $expiresAt: DateTime) { createApiKey(serviceAccountId: $id, expiresAt: $expiresAt) { secret key { id } } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: vars({ id: hostileId('serviceAccount'), expiresAt: optional(hostileInstant()) }),
    events: 0,
    verify: async ({ data, world }) => {
      await exists(world, 'api_key', data.key.id);
      if (!/^tfh_/.test(data.secret)) throw new Error('an API key without its prefix');
    },
    numRuns: 20,
  },
  {
    name: 'rotateApiKey',
    area: 'identity',
    document: 'mutation($id: ID!, $grace: Int) { rotateApiKey(id: $id, graceSeconds: $grace) { secret key { id } } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: vars({ id: hostileId('apiKey'), grace: optional(hostileInt(0, 30 * 86_400)) }),
    events: 0,
    verify: async ({ data, world }) => exists(world, 'api_key', data.key.id),
    numRuns: 20,
  },
  {
    name: 'revokeApiKey',
    area: 'identity',
    document: 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: vars({ id: hostileId('apiKey') }),
    // session.revoked, the first time.
    events: ({ before, after }) => (changedTables(before, after).includes('api_key') ? 1 : 0),
    verify: async ({ data }) => {
      if (!data.revokedAt) throw new Error('API key answered as revoked is not');
    },
    numRuns: 20,
  },
  {
    name: 'registerWebhook',
    area: 'identity',
    document:
      'mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret endpoint { id url eventTypes } } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: input(
      {
        serviceAccountId: hostileId('serviceAccount'),
        url: fc.oneof(
          { weight: 3, arbitrary: url() },
          { weight: 1, arbitrary: fc.constant('http://127.0.0.1:9/hook') },
        ),
        eventTypes: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.subarray(['actionItem.created', 'meeting.started', 'caseSummary.updated'], { minLength: 1 }),
          },
          { weight: 1, arbitrary: fc.array(hostileText(60, { huge: false }), { maxLength: 3 }) },
        ),
      },
      ['serviceAccountId', 'url', 'eventTypes'],
    ),
    events: 0,
    verify: async ({ data, world }) => {
      await exists(world, 'webhook_endpoint', data.endpoint.id);
      if (!/^whsec_/.test(data.secret)) throw new Error('a signing secret without its prefix');
    },
    numRuns: 30,
  },
  {
    name: 'enableWebhook',
    area: 'identity',
    document: 'mutation($id: ID!) { enableWebhook(id: $id) { id disabledAt } }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: vars({ id: hostileId('webhook') }),
    events: 0,
    numRuns: 15,
  },
  {
    name: 'deleteWebhook',
    area: 'identity',
    document: 'mutation($id: ID!) { deleteWebhook(id: $id) }',
    actors: mostly('coordinator', 'member', 'outsider', 'admin', 'anonymous'),
    variables: vars({ id: hostileId('webhook') }),
    events: 0,
    numRuns: 15,
  },
  // ---------------------------------------------------------------- meetings
  {
    name: 'scheduleMeeting',
    area: 'meetings',
    document:
      'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id title startsAt endsAt place callLink agenda { id title } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: withShapeBreaks(
      fc
        .tuple(
          fc.record(
            {
              taskForceId: hostileId('taskForce'),
              title: hostileText(200),
              place: optional(hostileText(200)),
              callLink: optional(url()),
              agenda: optional(
                fc.oneof(
                  { weight: 5, arbitrary: fc.array(agendaItem(), { maxLength: 3 }) },
                  { weight: 1, arbitrary: fc.constant(Array(51).fill({ title: 'Too many' })) },
                ),
              ),
            },
            { requiredKeys: ['taskForceId', 'title'] },
          ),
          hostileTimes(),
        )
        .map(([fields, times]) => ({ input: { ...fields, ...times } })),
    ),
    events: 1,
    verify: async (check) => {
      const { data, variables } = check;
      const { meeting } = await read(check, 'query($id: ID!) { meeting(id: $id) { id title agenda { id } } }', {
        id: data.id,
      });
      sameText('title', meeting.title, variables.input.title);
      if (meeting.agenda.length !== (variables.input.agenda?.length ?? 0))
        throw new Error('agenda not stored completely');
    },
    numRuns: 30,
  },
  {
    name: 'editMeeting',
    area: 'meetings',
    document:
      'mutation($input: EditMeetingInput!) { editMeeting(input: $input) { id title startsAt endsAt place callLink } }',
    actors: mostly('coordinator', ...TEAM),
    variables: withShapeBreaks(
      fc
        .tuple(
          fc.record(
            {
              meetingId: hostileId('meeting'),
              title: optional(hostileText(200)),
              place: optional(hostileText(200)),
              callLink: optional(url()),
            },
            { requiredKeys: ['meetingId'] },
          ),
          fc.oneof(
            fc.constant({}),
            hostileTimes(),
            fc.record({ startsAt: hostileInstant() }),
            fc.record({ endsAt: hostileInstant() }),
          ),
        )
        .map(([fields, times]) => ({ input: { ...fields, ...times } })),
    ),
    events: 1,
    verify: async (check) => {
      const { data, variables } = check;
      const { meeting } = await read(check, 'query($id: ID!) { meeting(id: $id) { title place } }', { id: data.id });
      if (variables.input.title != null) sameText('title', meeting.title, variables.input.title);
      if (variables.input.place !== undefined) sameText('place', meeting.place, variables.input.place, false);
    },
    numRuns: 30,
  },
  {
    name: 'cancelMeeting',
    area: 'meetings',
    document:
      'mutation($meetingId: ID!, $reason: String) { cancelMeeting(meetingId: $meetingId, reason: $reason) { id status } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ meetingId: hostileId('meeting'), reason: optional(hostileText(500)) }, ['meetingId']),
    events: 1,
    verify: async ({ data }) => {
      if (data.status !== 'CANCELLED') throw new Error(`cancelled meeting is ${data.status}`);
    },
  },
  {
    name: 'addAgendaItem',
    area: 'meetings',
    document: 'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id title position } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        meetingId: hostileId('meeting'),
        title: hostileText(200),
        presenterId: optional(hostileId('member')),
        caseSummaryId: optional(hostileId('caseSummary')),
        timeBoxMinutes: optional(hostileInt(1, 480)),
        position: optional(hostileInt(0, 3)),
      },
      ['meetingId', 'title'],
    ),
    events: 1,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'agenda_item', data.id);
      sameText('title', data.title, variables.input.title);
    },
  },
  {
    name: 'updateAgendaItem',
    area: 'meetings',
    document:
      'mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { id title timeBoxMinutes } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        agendaItemId: hostileId('agendaItem'),
        title: optional(hostileText(200)),
        presenterId: optional(hostileId('member', { nullable: true })),
        caseSummaryId: optional(hostileId('caseSummary', { nullable: true })),
        timeBoxMinutes: optional(hostileInt(1, 480)),
      },
      ['agendaItemId'],
    ),
    events: 1,
    verify: async ({ data, variables }) => {
      if (variables.input.title != null) sameText('title', data.title, variables.input.title);
    },
  },
  {
    name: 'removeAgendaItem',
    area: 'meetings',
    document: 'mutation($agendaItemId: ID!) { removeAgendaItem(agendaItemId: $agendaItemId) { id } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ agendaItemId: fc.oneof(hostileId('agendaItem'), fc.constant(ref('agendaItem', 'freshLast'))) }),
    fresh: { meetingStatus: MeetingStatus.SCHEDULED },
    events: 1,
    verify: async ({ data, world }) => {
      const rows = await world.app
        .em()
        .getConnection()
        .execute('select id from "agenda_item" where id = ?', [data.id], 'all');
      if (rows.length) throw new Error('removed agenda item still there');
    },
  },
  {
    name: 'reorderAgenda',
    area: 'meetings',
    document:
      'mutation($meetingId: ID!, $agendaItemIds: [ID!]!) { reorderAgenda(meetingId: $meetingId, agendaItemIds: $agendaItemIds) { id position } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({
      meetingId: hostileId('meeting'),
      agendaItemIds: fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .constantFrom('fresh', 'shared', 'other', 'wrongKind', 'stray')
            .map((which) => ref('agendaOrder', which)),
        },
        { weight: 1, arbitrary: fc.array(strayId, { maxLength: 60 }) },
      ),
    }),
    events: 1,
  },
  {
    name: 'startMeeting',
    area: 'meetings',
    document:
      'mutation($meetingId: ID!) { startMeeting(meetingId: $meetingId) { id status currentAgendaItem { id } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ meetingId: hostileId('meeting') }),
    events: 1,
    verify: async ({ data }) => {
      if (data.status !== 'LIVE') throw new Error(`started meeting is ${data.status}`);
    },
  },
  {
    name: 'advanceAgenda',
    area: 'meetings',
    document:
      'mutation($meetingId: ID!, $agendaItemId: ID) { advanceAgenda(meetingId: $meetingId, agendaItemId: $agendaItemId) { id currentAgendaItem { id } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars(
      {
        meetingId: hostileId('meeting'),
        agendaItemId: optional(fc.oneof(hostileId('agendaItem'), fc.constant(ref('agendaItem', 'freshLast')))),
      },
      ['meetingId'],
    ),
    fresh: { meetingStatus: MeetingStatus.LIVE },
    events: 1,
  },
  {
    name: 'endMeeting',
    area: 'meetings',
    document: 'mutation($meetingId: ID!) { endMeeting(meetingId: $meetingId) { id status } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ meetingId: hostileId('meeting') }),
    fresh: { meetingStatus: MeetingStatus.LIVE },
    events: 1,
  },
  {
    name: 'checkIn',
    area: 'meetings',
    document:
      'mutation($meetingId: ID!, $mode: AttendanceMode!, $memberId: ID) { checkIn(meetingId: $meetingId, mode: $mode, memberId: $memberId) { id mode } }',
    actors: fc.constantFrom<ActorName>(
      'coordinator',
      'coordinator',
      'member',
      'observer',
      'outsider',
      'admin',
      'anonymous',
    ),
    variables: vars(
      {
        meetingId: hostileId('meeting'),
        mode: hostileEnum(['IN_PERSON', 'REMOTE']),
        memberId: optional(fc.oneof(hostileId('member'), fc.constant(ref('member', 'self')))),
      },
      ['meetingId', 'mode'],
    ),
    fresh: { meetingStatus: MeetingStatus.LIVE },
    events: 1,
    verify: async ({ data, world }) => exists(world, 'attendance', data.id),
  },
  {
    name: 'checkOut',
    area: 'meetings',
    document:
      'mutation($meetingId: ID!, $memberId: ID) { checkOut(meetingId: $meetingId, memberId: $memberId) { id leftAt } }',
    actors: fc.constantFrom<ActorName>('coordinator', 'coordinator', 'member', 'observer', 'outsider', 'anonymous'),
    variables: vars(
      {
        meetingId: hostileId('meeting'),
        memberId: optional(fc.oneof(hostileId('member'), fc.constant(ref('member', 'self')))),
      },
      ['meetingId'],
    ),
    fresh: { meetingStatus: MeetingStatus.LIVE, checkedIn: true },
    events: 1,
    verify: async ({ data }) => {
      if (!data.leftAt) throw new Error('checked out without leftAt');
    },
  },
  {
    name: 'addMinuteNote',
    area: 'meetings',
    document: 'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id text } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      { meetingId: hostileId('meeting'), agendaItemId: hostileId('agendaItem'), text: hostileText(5_000) },
      ['meetingId', 'agendaItemId', 'text'],
    ),
    fresh: { meetingStatus: MeetingStatus.LIVE },
    events: 1,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'minute_note', data.id);
      sameText('text', data.text, variables.input.text, false);
    },
    numRuns: 30,
  },
  {
    name: 'recordDecision',
    area: 'meetings',
    document: 'mutation($input: DecisionInput!) { recordDecision(input: $input) { id text } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        meetingId: hostileId('meeting'),
        agendaItemId: hostileId('agendaItem'),
        text: hostileText(5_000),
        caseSummaryId: optional(hostileId('caseSummary')),
      },
      ['meetingId', 'agendaItemId', 'text'],
    ),
    fresh: { meetingStatus: MeetingStatus.LIVE },
    events: 1,
    verify: async ({ data, world }) => exists(world, 'decision', data.id),
  },
  {
    name: 'correctMinuteNote',
    area: 'meetings',
    document: 'mutation($input: CorrectMinuteNoteInput!) { correctMinuteNote(input: $input) { id text } }',
    actors: mostly('coordinator', 'member', ...TEAM),
    variables: input({ noteId: hostileId('note'), text: hostileText(5_000) }, ['noteId', 'text']),
    fresh: { meetingStatus: MeetingStatus.LIVE },
    // A correction to the same text changes nothing and records nothing.
    events: ({ data }) => (data.text === 'The note as first written.' ? 0 : 1),
    verify: async ({ data, variables, world }) => {
      sameText('text', data.text, variables.input.text, false);
      const rows = await world.app
        .em()
        .getConnection()
        .execute('select text from "minute_note_revision" where note_id = ?', [data.id], 'all');
      if (
        data.text !== 'The note as first written.' &&
        !rows.some((r: { text: string }) => r.text === 'The note as first written.')
      )
        throw new Error('the corrected text was not kept in the history');
    },
    numRuns: 20,
  },
  {
    name: 'saveAgendaTemplate',
    area: 'meetings',
    document:
      'mutation($id: ID!, $name: String!) { saveAgendaTemplate(meetingId: $id, name: $name) { id name items { title } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ id: hostileId('meeting'), name: hostileText(200) }, ['id', 'name']),
    events: 1,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'agenda_template', data.id);
      sameText('name', data.name, variables.name);
      if (data.items.length !== 3) throw new Error(`template saved ${data.items.length} items of 3`);
    },
    numRuns: 20,
  },
  {
    name: 'createMeetingSeries',
    area: 'meetings',
    document:
      'mutation($input: CreateMeetingSeriesInput!) { createMeetingSeries(input: $input) { series { id title } meeting { id startsAt } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        taskForceId: hostileId('taskForce'),
        title: hostileText(200),
        cadence: fc.oneof(
          { weight: 5, arbitrary: fc.constant('WEEKLY') },
          { weight: 1, arbitrary: hostileEnum(['WEEKLY', 'MONTHLY']) },
        ),
        weekday: hostileInt(1, 7),
        interval: hostileInt(1, 4),
        weekOfMonth: optional(hostileInt(-1, 4)),
        startTime: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('09:30', '10:00', '23:59', '00:00') },
          { weight: 1, arbitrary: hostileText(5) },
        ),
        durationMinutes: hostileInt(15, 720),
        startsOn: fc.oneof(
          { weight: 4, arbitrary: fc.constant(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)) },
          { weight: 2, arbitrary: hostileCalendarDate() },
        ),
        place: optional(hostileText(200)),
        callLink: optional(url()),
      },
      ['taskForceId', 'title', 'cadence', 'weekday', 'interval', 'startTime', 'durationMinutes', 'startsOn'],
    ),
    // seriesCreated, and meeting.scheduled for its first meeting.
    events: 2,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'meeting_series', data.series.id);
      await exists(world, 'meeting', data.meeting.id);
      sameText('title', data.series.title, variables.input.title);
    },
    numRuns: 40,
  },
  {
    name: 'scheduleNextInSeries',
    area: 'meetings',
    document: 'mutation($id: ID!) { scheduleNextInSeries(seriesId: $id) { id startsAt } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ id: hostileId('series') }, ['id']),
    events: 1,
    verify: async ({ data, world }) => exists(world, 'meeting', data.id),
    numRuns: 15,
  },
  {
    name: 'createCalendarFeed',
    area: 'meetings',
    document: 'mutation { createCalendarFeed { url } }',
    actors: fc.constantFrom<ActorName>('coordinator', 'member', 'observer', 'admin', 'anonymous'),
    variables: withShapeBreaks(fc.constant({})),
    events: 0,
    verify: async ({ data }) => {
      if (!/\/calendar\/[A-Za-z0-9_-]{20,}\.ics$/.test(data.url)) throw new Error(`calendar url ${data.url}`);
    },
    numRuns: 10,
  },
  {
    name: 'revokeCalendarFeed',
    area: 'meetings',
    document: 'mutation { revokeCalendarFeed }',
    actors: fc.constantFrom<ActorName>('coordinator', 'member', 'observer', 'admin', 'anonymous'),
    variables: withShapeBreaks(fc.constant({})),
    events: 0,
    numRuns: 10,
  },
  // ---------------------------------------------------------------- action items and case summaries
  {
    name: 'createActionItem',
    area: 'work',
    document: `mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { ${ITEM_FIELDS} } }`,
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        taskForceId: hostileId('taskForce'),
        title: hostileText(200),
        description: optional(hostileText(5_000)),
        dueOn: hostileCalendarDate(),
        priority: optional(hostileEnum(PRIORITIES)),
        assignee: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record({ memberId: optional(hostileId('member')), agencyId: optional(hostileId('agency')) }),
          },
          { weight: 1, arbitrary: fc.constantFrom({}, null) },
        ),
        caseSummaryId: optional(hostileId('caseSummary')),
        meetingId: optional(hostileId('meeting')),
      },
      ['taskForceId', 'title', 'dueOn', 'assignee'],
    ),
    events: 1,
    verify: async (check) => {
      const { data, variables } = check;
      const { actionItem } = await read(check, `query($id: ID!) { actionItem(id: $id) { ${ITEM_FIELDS} } }`, {
        id: data.id,
      });
      sameText('title', actionItem.title, variables.input.title);
      if (actionItem.dueOn !== variables.input.dueOn)
        throw new Error(`dueOn read back ${actionItem.dueOn}, sent ${variables.input.dueOn}`);
    },
    numRuns: 60,
  },
  {
    name: 'editActionItem',
    area: 'work',
    document: `mutation($input: EditActionItemInput!) { editActionItem(input: $input) { ${ITEM_FIELDS} } }`,
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        id: hostileId('actionItem'),
        title: optional(hostileText(200)),
        description: optional(hostileText(5_000)),
        dueOn: optional(hostileCalendarDate()),
        priority: optional(hostileEnum(PRIORITIES)),
        assignee: optional(
          fc.record({ memberId: optional(hostileId('member')), agencyId: optional(hostileId('agency')) }),
        ),
        caseSummaryId: optional(hostileId('caseSummary', { nullable: true })),
      },
      ['id'],
    ),
    events: 1,
    verify: async ({ data, variables }) => {
      if (variables.input.title != null) sameText('title', data.title, variables.input.title);
      if (typeof variables.input.dueOn === 'string' && data.dueOn !== variables.input.dueOn)
        throw new Error(`dueOn read back ${data.dueOn}, sent ${variables.input.dueOn}`);
    },
    numRuns: 30,
  },
  {
    name: 'changeActionItemStatus',
    area: 'work',
    document: `mutation($id: ID!, $status: ActionItemStatus!, $reason: String) { changeActionItemStatus(id: $id, status: $status, reason: $reason) { ${ITEM_FIELDS} blockedReason } }`,
    actors: mostly('coordinator', ...TEAM),
    variables: vars(
      { id: hostileId('actionItem'), status: hostileEnum(STATUSES), reason: optional(hostileText(500)) },
      ['id', 'status'],
    ),
    events: 1,
    verify: async ({ data, variables }) => {
      if (data.status !== variables.status) throw new Error(`status ${data.status}, asked ${variables.status}`);
    },
  },
  {
    name: 'takeActionItem',
    area: 'work',
    document: `mutation($id: ID!) { takeActionItem(id: $id) { ${ITEM_FIELDS} assigneeMember { id } } }`,
    actors: mostly('member', 'coordinator', 'observer', 'outsider', 'anonymous'),
    variables: vars({ id: hostileId('actionItem') }),
    events: 1,
  },
  {
    name: 'snoozeActionItemReminders',
    area: 'work',
    document:
      'mutation($actionItemId: ID!, $until: String!, $reason: String!) { snoozeActionItemReminders(actionItemId: $actionItemId, until: $until, reason: $reason) { id } }',
    actors: mostly('member', 'coordinator', 'observer', 'outsider', 'anonymous'),
    variables: vars({
      actionItemId: hostileId('actionItem'),
      until: hostileCalendarDate(Date.now() + 7 * 86_400_000),
      reason: hostileText(500),
    }),
    // The snooze and its history entry; no task-force event (a reminder's time is nobody else's news).
    events: 0,
    verify: async ({ data, world }) => {
      const rows = await world.app
        .em()
        .getConnection()
        .execute('select action_item_id from "reminder_snooze" where action_item_id = ?', [data.id], 'all');
      if (rows.length !== 1) throw new Error('snoozed without a reminder_snooze row');
    },
  },
  {
    name: 'markNotificationRead',
    area: 'work',
    document: 'mutation($id: Int!) { markNotificationRead(id: $id) { id readAt } }',
    actors: mostly('member', 'coordinator', 'observer', 'outsider', 'anonymous'),
    variables: vars({
      id: fc.oneof({ weight: 4, arbitrary: hostileId('notification') }, { weight: 1, arbitrary: hostileInt(1, 2_000) }),
    }),
    events: 0,
    verify: async ({ data }) => {
      if (!data.readAt) throw new Error('marked read without readAt');
    },
    numRuns: 20,
  },
  {
    name: 'markAllNotificationsRead',
    area: 'work',
    document: 'mutation { markAllNotificationsRead }',
    actors: fc.constantFrom<ActorName>('coordinator', 'member', 'observer', 'admin', 'anonymous'),
    variables: withShapeBreaks(fc.constant({})),
    events: 0,
    numRuns: 10,
  },
  {
    name: 'setNotificationPreferences',
    area: 'work',
    document:
      'mutation($input: NotificationPreferencesInput!) { setNotificationPreferences(input: $input) { emailMode digestHour quietHours } }',
    actors: mostly('member', 'coordinator', 'observer', 'admin', 'anonymous'),
    variables: input(
      {
        emailMode: optional(hostileEnum(['NONE', 'IMMEDIATE', 'DAILY_DIGEST'])),
        digestHour: optional(hostileInt(0, 23)),
        quietHours: optional(fc.oneof(fc.boolean(), fc.constantFrom('yes', 1, null))),
      },
      [],
    ),
    events: 0,
    verify: async ({ data, variables }) => {
      const asked = variables.input as Record<string, unknown>;
      for (const key of ['emailMode', 'digestHour', 'quietHours'] as const)
        if (asked[key] !== undefined && asked[key] !== null && data[key] !== asked[key])
          throw new Error(`${key} is ${String(data[key])}, asked ${String(asked[key])}`);
    },
    numRuns: 20,
  },
  {
    name: 'commentOnActionItem',
    area: 'work',
    document: 'mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id text } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ id: hostileId('actionItem'), text: hostileText(5_000) }),
    events: 1,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'action_item_comment', data.id);
      sameText('text', data.text, variables.text, false);
    },
    numRuns: 30,
  },
  {
    name: 'createCaseSummary',
    area: 'work',
    document:
      'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id caseCode version overview } }',
    actors: mostly('coordinator', 'victimWriter', ...TEAM),
    variables: input(
      {
        taskForceId: hostileId('taskForce'),
        caseCode: code(32),
        stage: hostileEnum(STAGES),
        exploitationForms: optional(fc.array(hostileEnum(FORMS), { maxLength: 10 })),
        counts: optional(counts()),
        sections: optional(sections()),
      },
      ['taskForceId', 'caseCode', 'stage'],
    ),
    events: 1,
    verify: async ({ data, variables, world }) => {
      await exists(world, 'case_summary', data.id);
      if (variables.input.sections?.overview != null)
        sameText('overview', data.overview, variables.input.sections.overview, false);
    },
    numRuns: 30,
  },
  {
    name: 'updateCaseSummary',
    area: 'work',
    document:
      'mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id caseCode version overview } }',
    actors: mostly('coordinator', 'victimWriter', ...TEAM),
    variables: input(
      {
        id: hostileId('caseSummary'),
        baseVersion: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: hostileInt(1, 3) }),
        // Mostly left out: an update sends what changes (null is refused for each of these).
        caseCode: optional(code(32), { absent: 6 }),
        stage: optional(hostileEnum(STAGES), { absent: 6 }),
        exploitationForms: optional(fc.array(hostileEnum(FORMS), { maxLength: 10 }), { absent: 6 }),
        counts: optional(counts(), { absent: 6 }),
        sections: optional(sections(), { absent: 2 }),
      },
      ['id', 'baseVersion'],
    ),
    // Nothing different from the current state: no new version, no event.
    events: ({ data, variables }) => (data.version > variables.input.baseVersion ? 1 : 0),
    verify: async ({ data, variables }) => {
      if (data.version > variables.input.baseVersion && variables.input.sections?.overview != null)
        sameText('overview', data.overview, variables.input.sections.overview, false);
    },
    numRuns: 30,
  },
  {
    name: 'recordConsent',
    area: 'referrals',
    document: 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { given consent { id } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: fc.oneof(
      {
        weight: 1,
        // Well-formed, so that successes (given and refused) happen whatever the seed.
        arbitrary: fc.boolean().map((given) => ({
          input: {
            caseSummaryId: ref('caseSummary', 'fresh'),
            given,
            purposes: ['ASSISTANCE'],
            receiverAgencyIds: [ref('agency', 'fresh')],
            sections: ['OVERVIEW'],
            language: 'română',
            interpreterUsed: false,
            explainedPoints: CONSENT_POINTS,
            readBack: true,
          },
        })),
      },
      {
        weight: 4,
        arbitrary: input(
          {
            caseSummaryId: hostileId('caseSummary'),
            given: fc.oneof(fc.boolean(), fc.constantFrom('yes', null)),
            purposes: fc.array(hostileEnum(PURPOSES), { maxLength: 3 }),
            receiverAgencyIds: fc.array(hostileId('agency'), { maxLength: 2 }),
            sections: fc.array(hostileEnum(SECTION_NAMES), { maxLength: 3 }),
            language: hostileText(60),
            interpreterUsed: fc.boolean(),
            explainedPoints: fc.oneof(
              { weight: 3, arbitrary: fc.constant(CONSENT_POINTS) },
              { weight: 1, arbitrary: fc.array(hostileEnum(CONSENT_POINTS), { maxLength: 5 }) },
            ),
            readBack: fc.boolean(),
            minor: optional(fc.boolean()),
            legalBasis: optional(hostileText(300)),
            guardianRole: optional(hostileText(120)),
          },
          [
            'caseSummaryId',
            'given',
            'purposes',
            'receiverAgencyIds',
            'sections',
            'language',
            'interpreterUsed',
            'explainedPoints',
            'readBack',
          ],
        ),
      },
    ),
    // A consent writes no event: the receiver never learns of it.
    events: 0,
    numRuns: 30,
  },
  {
    name: 'withdrawConsent',
    area: 'referrals',
    document:
      'mutation($id: ID!) { withdrawConsent(consentId: $id) { consent { withdrawnAt } endedReferrals { id } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: vars({ id: hostileId('consent') }),
    events: ({ data }) => data.endedReferrals.length,
    numRuns: 20,
  },
  {
    name: 'requestReferral',
    area: 'referrals',
    document: 'mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id status } }',
    actors: mostly('coordinator', ...TEAM),
    variables: fc.oneof(
      {
        weight: 1,
        // A coordinator's override needs no consent: a success whatever the seed.
        arbitrary: fc.constant({
          input: {
            caseSummaryId: ref('caseSummary', 'fresh'),
            toAgencyId: ref('agency', 'fresh'),
            purpose: 'SHELTER',
            sections: ['OVERVIEW'],
            overrideReason: 'Imminent danger to the person',
          },
        }),
      },
      {
        weight: 4,
        arbitrary: input(
          {
            caseSummaryId: hostileId('caseSummary'),
            toAgencyId: hostileId('agency'),
            purpose: hostileEnum(PURPOSES),
            sections: fc.array(hostileEnum(SECTION_NAMES), { maxLength: 3 }),
            urgent: optional(fc.boolean()),
            overrideReason: optional(hostileText(500)),
          },
          ['caseSummaryId', 'toAgencyId', 'purpose', 'sections'],
        ),
      },
    ),
    events: 1,
    verify: async ({ data, world }) => exists(world, 'referral', data.id),
    numRuns: 30,
  },
  {
    name: 'changeReferralStatus',
    area: 'referrals',
    document: 'mutation($input: ChangeReferralStatusInput!) { changeReferralStatus(input: $input) { id status } }',
    actors: mostly('member', 'coordinator', 'observer', 'outsider', 'admin', 'anonymous'),
    variables: input(
      { referralId: hostileId('referral'), status: hostileEnum(REFERRAL_STATUSES), reason: optional(hostileText(500)) },
      ['referralId', 'status'],
    ),
    events: 1,
    numRuns: 30,
  },
  {
    name: 'scheduleHearing',
    area: 'referrals',
    document: 'mutation($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id checklist { item } } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        caseSummaryId: hostileId('caseSummary'),
        court: hostileText(200),
        startsAt: hostileInstant(),
        kind: hostileEnum(['VICTIM_HEARING', 'TRIAL', 'PRONOUNCEMENT']),
        owners: optional(
          fc.array(fc.record({ item: hostileEnum(READINESS_ITEMS), agencyId: hostileId('agency') }), { maxLength: 3 }),
        ),
      },
      ['caseSummaryId', 'court', 'startsAt', 'kind'],
    ),
    events: 1,
    verify: async ({ data, world }) => exists(world, 'hearing', data.id),
    numRuns: 30,
  },
  {
    name: 'updateReadinessItem',
    area: 'referrals',
    document: 'mutation($input: UpdateReadinessItemInput!) { updateReadinessItem(input: $input) { ready } }',
    actors: mostly('coordinator', ...TEAM),
    variables: input(
      {
        hearingId: hostileId('hearing'),
        item: hostileEnum(READINESS_ITEMS),
        state: hostileEnum(['OPEN', 'DONE', 'NOT_NEEDED']),
        language: optional(hostileText(60)),
      },
      ['hearingId', 'item', 'state'],
    ),
    events: 1,
    numRuns: 30,
  },
];

export const DEFAULT_RUNS = Number(process.env.PROPERTIES_RUNS ?? 20);
/**
 * PostgreSQL, the dialect of every deployment with more than one instance, gets each property's runs in
 * full; SQLite a third of them (at least 5). The mutations are the same code on both; what differs by
 * dialect (constraints, types, locking) meets the first runs, which are the same inputs on both (one seed
 * per property), and the full runs on SQLite doubled the suite's longest part.
 */
const DIALECT_SHARE = process.env.TEST_DB === 'sqlite' ? 1 / 3 : 1;

export function runsOf(spec: MutationSpec): number {
  return Math.max(5, Math.ceil((spec.numRuns ?? DEFAULT_RUNS) * DIALECT_SHARE));
}
/**
 * Runs are reproducible: a fixed seed per property (from its name), printed by fast-check with any
 * counterexample. FC_SEED=<seed> replays a printed one; FC_SEED=random explores new inputs.
 */
export const SEED = process.env.FC_SEED && process.env.FC_SEED !== 'random' ? Number(process.env.FC_SEED) : undefined;

export function seedFor(name: string): number | undefined {
  if (process.env.FC_SEED === 'random') return undefined;
  if (SEED !== undefined) return SEED;
  let hash = 20261128;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

const ERROR_SUMMARY = (result: RawResult) =>
  (result.body?.errors ?? [])
    .map((e) => `${e.extensions?.code}${e.extensions?.field ? `(${e.extensions.field})` : ''}`)
    .join(', ');

/**
 * One property per mutation: whatever the variables and the caller, the hub answers below 500 with
 * well-formed errors, a refusal writes nothing (beyond what the spec allows by design), and a success
 * is complete: the outbox has exactly the expected events and the change reads back.
 */
export type Stats = Record<string, { ok: number; refused: Record<string, number>; completed?: boolean }>;

export async function checkMutation(world: PropertiesWorld, spec: MutationSpec, stats: Stats): Promise<void> {
  const app = world.app;
  const endpoint = `${app.url}/graphql`;
  const tally = (stats[spec.name] ??= { ok: 0, refused: {} });
  const property = fc.asyncProperty(spec.actors, spec.variables, async (actor, symbolic) => {
    const run = world.run(spec.fresh);
    const token = await run.tokenFor(actor);
    const variables = (await run.resolve(symbolic)) as Record<string, any>;
    const before = await snapshot(app.orm);
    const result = await rawGraphQL(endpoint, spec.document, variables, token);
    const after = await snapshot(app.orm);
    const problem = problemWith(result, stringsIn(variables));
    if (problem) throw new Error(`${spec.name} as ${actor}: ${problem}`);
    const changed = changedTables(before, after);
    const data = result.body?.data?.[spec.name];
    if (data === undefined || data === null) {
      if (!result.body?.errors?.length && !result.body?.code) throw new Error(`${spec.name}: no data and no error`);
      const allowed = spec.refusalMayWrite?.(run, result) ?? [];
      const stray = changed.filter((table) => !allowed.includes(table));
      if (stray.length) {
        throw new Error(
          `${spec.name} as ${actor} was refused (${ERROR_SUMMARY(result) || result.body?.code}) but wrote to ${stray.join(', ')}; newest audit rows: ${JSON.stringify(await latestRows(app.orm, 'audit_record'))}`,
        );
      }
      const key = ERROR_SUMMARY(result) || String(result.body?.code);
      tally.refused[key] = (tally.refused[key] ?? 0) + 1;
      return;
    }
    if (result.body?.errors?.length) throw new Error(`${spec.name}: data and errors at once: ${ERROR_SUMMARY(result)}`);
    const check: SuccessCheck = { data, variables, run, before, after, world };
    const expected = typeof spec.events === 'function' ? spec.events(check) : spec.events;
    // Each inbox row a success writes comes with its own system event (its live delivery): those
    // follow from the change's events and are not counted among them.
    const written = rowDelta(before, after, 'domain_event') - rowDelta(before, after, 'notification');
    if (written !== expected)
      throw new Error(
        `${spec.name} succeeded with ${written} outbox events, expected ${expected} (changed: ${changed.join(', ')})`,
      );
    await spec.verify?.(check);
    tally.ok += 1;
  });
  const full = spec.numRuns ?? DEFAULT_RUNS;
  const share = runsOf(spec);
  const seed = seedFor(spec.name);
  await fc.assert(property, { numRuns: share, seed, verbose: 1 });
  // A share with no success proves little about successes: then the full runs, as on PostgreSQL.
  if (!tally.ok && share < full) await fc.assert(property, { numRuns: full, seed, verbose: 1 });
  tally.completed = true;
}

/** Mutation names of the running schema, by introspection. */
export async function schemaMutations(world: PropertiesWorld): Promise<string[]> {
  const { __schema } = await world.app.gql.data('{ __schema { mutationType { fields { name } } } }');
  return __schema.mutationType.fields.map((field: { name: string }) => field.name).sort();
}
