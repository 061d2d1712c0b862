import fc from 'fast-check';
import { validCnp } from '../factories/cnp';
import { harmlessText, ref } from '../factories/hostile';
import { type ActorName, type FreshOptions, PropertiesWorld } from '../factories/properties-world';
import { MeetingStatus } from '@hub/meetings';
import { changedTables, findInDatabase, snapshot } from '../utils/db-snapshot';
import { rawGraphQL } from '../utils/graphql-invariants';
import { seedFor } from '../utils/mutation-properties';
import { startTestApp, type TestApp } from '../utils/test-app';

/**
 * No victim identity in the hub: a valid CNP in any free-text field of any mutation is refused with
 * BAD_USER_INPUT naming the field (identifier CNP), is never echoed, and is nowhere in the database
 * afterwards; and the screen leaves ordinary text alone. What is tested is exactly what
 * libs/core/src/screening/identifier-screen.ts promises for a CNP: 13 contiguous digits not glued to
 * other digits (letters and punctuation around are fine), after NFKC (full-width digits) and with
 * invisible characters (zero-width space, soft hyphen, BOM) removed, and written in groups joined by
 * single spaces, dots or dashes in any grouping (issue 18); ordinary file numbers, dates and amounts pass.
 */

/** A valid CNP: sex/century digit 1–9, any year, a real month, day 01–31, county, serial, check digit. */
const cnpArb = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
    fc.integer({ min: 1, max: 52 }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([s, yy, mm, dd, county, serial]) =>
    validCnp(`${s}${pad(yy)}${pad(mm)}${pad(dd)}${pad(county)}${String(serial).padStart(3, '0')}`),
  );

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const fullWidth = (digits: string) => [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');

/** The forms the screen promises to catch, in prose. */
const PROSE_FORMS: Record<string, (cnp: string) => string> = {
  alone: (c) => c,
  sentence: (c) => `Victima are CNP ${c}, domiciliată în județ.`,
  labelled: (c) => `CNP:${c}`,
  glued: (c) => `ref${c}x`,
  bracketed: (c) => `(${c})`,
  newlines: (c) => `first line\n${c}\nthird line`,
  fullWidth: (c) => `CNP ${fullWidth(c)}`,
  invisibles: (c) => `${c.slice(0, 4)}\u200b${c.slice(4, 9)}\u00ad${c.slice(9, 11)}\ufeff${c.slice(11)}`,
  noBreakSpaces: (c) => `cod\u00a0${c}\u00a0numeric`,
  spacedGroups: (c) => `CNP ${grouped(c, ' ')}, audiată`,
  dottedGroups: (c) => `cod ${grouped(c, '.')}`,
  dashedGroups: (c) => grouped(c, '-'),
  anyGrouping: (c) => `Persoana ${anyGrouping(c)} a declarat`,
};

/** The way CNPs are printed on identity cards: 1 + 6 + 6 ("4 441119 095275"). */
function grouped(cnp: string, separator: string): string {
  return [cnp.slice(0, 1), cnp.slice(1, 7), cnp.slice(7)].join(separator);
}

/** A grouping picked by the CNP's own digits, so every run sees another one: cuts and separators vary. */
function anyGrouping(cnp: string): string {
  const separators = [' ', '.', '-'];
  let out = cnp[0];
  for (let i = 1; i < cnp.length; i++) {
    const pick = (Number(cnp[i]) + i) % 5;
    if (pick < 3) out += separators[pick];
    out += cnp[i];
  }
  return out;
}
/** Case codes must be letters, digits and dashes to reach the screen at all. */
const CODE_FORMS: Record<string, (cnp: string) => string> = {
  alone: (c) => c,
  prefixed: (c) => `CS-${c}`,
  suffixed: (c) => `${c}-B`,
  dashedGroups: (c) => `CS-${grouped(c, '-')}`,
};
const URL_FORMS: Record<string, (cnp: string) => string> = {
  path: (c) => `https://meet.example.org/r/${c}`,
  query: (c) => `https://meet.example.org/join?cnp=${c}`,
};

interface TextField {
  mutation: string;
  /** extensions.field the refusal must name. */
  field: RegExp;
  actor: ActorName;
  fresh?: FreshOptions;
  document: string;
  variables: (text: string) => Record<string, unknown>;
  forms?: Record<string, (cnp: string) => string>;
}

const soon = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const dueOn = () => new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
const TF = ref('taskForce', 'fresh');

const SCHEDULE = 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }';
const EDIT = 'mutation($input: EditMeetingInput!) { editMeeting(input: $input) { id } }';
const CREATE_ITEM = 'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }';
const EDIT_ITEM = 'mutation($input: EditActionItemInput!) { editActionItem(input: $input) { id } }';
const CREATE_CASE = 'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id } }';
const UPDATE_CASE = 'mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id version } }';
const meeting = (extra: Record<string, unknown>) => ({
  input: { taskForceId: TF, title: 'Coordination', startsAt: soon(2), endsAt: soon(3), ...extra },
});
const item = (extra: Record<string, unknown>) => ({
  input: {
    taskForceId: TF,
    title: 'Follow up',
    dueOn: dueOn(),
    assignee: { agencyId: ref('agency', 'fresh') },
    ...extra,
  },
});
const newCase = (extra: Record<string, unknown>, sections: Record<string, string> = {}) => ({
  input: {
    taskForceId: TF,
    caseCode: `CS-${
      Math.random()
        .toString(36)
        .replace(/[^a-z]/g, '')
        .slice(0, 8)
        .toUpperCase() || 'X'
    }`,
    stage: 'INVESTIGATION',
    sections,
    ...extra,
  },
});
const caseUpdate = (extra: Record<string, unknown>) => ({
  input: { id: ref('caseSummary', 'fresh'), baseVersion: 1, ...extra },
});

/** Every free-text field of every mutation the screen covers (README: "No victim identity"). */
const SCREENED: TextField[] = [
  {
    mutation: 'scheduleMeeting',
    field: /^title$/,
    actor: 'coordinator',
    document: SCHEDULE,
    variables: (t) => meeting({ title: t }),
  },
  {
    mutation: 'scheduleMeeting',
    field: /^place$/,
    actor: 'coordinator',
    document: SCHEDULE,
    variables: (t) => meeting({ place: t }),
  },
  {
    mutation: 'scheduleMeeting',
    field: /^callLink$/,
    actor: 'coordinator',
    document: SCHEDULE,
    variables: (t) => meeting({ callLink: t }),
    forms: URL_FORMS,
  },
  {
    mutation: 'scheduleMeeting',
    field: /^agenda\.1\.title$/,
    actor: 'coordinator',
    document: SCHEDULE,
    variables: (t) => meeting({ agenda: [{ title: 'Open cases' }, { title: t }] }),
  },
  {
    mutation: 'editMeeting',
    field: /^title$/,
    actor: 'coordinator',
    document: EDIT,
    variables: (t) => ({ input: { meetingId: ref('meeting', 'fresh'), title: t } }),
  },
  {
    mutation: 'editMeeting',
    field: /^place$/,
    actor: 'coordinator',
    document: EDIT,
    variables: (t) => ({ input: { meetingId: ref('meeting', 'fresh'), place: t } }),
  },
  {
    mutation: 'editMeeting',
    field: /^callLink$/,
    actor: 'coordinator',
    document: EDIT,
    variables: (t) => ({ input: { meetingId: ref('meeting', 'fresh'), callLink: t } }),
    forms: URL_FORMS,
  },
  {
    mutation: 'cancelMeeting',
    field: /^reason$/,
    actor: 'coordinator',
    document: 'mutation($id: ID!, $reason: String) { cancelMeeting(meetingId: $id, reason: $reason) { id } }',
    variables: (t) => ({ id: ref('meeting', 'fresh'), reason: t }),
  },
  {
    mutation: 'addAgendaItem',
    field: /(^|\.)title$/,
    actor: 'coordinator',
    document: 'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }',
    variables: (t) => ({ input: { meetingId: ref('meeting', 'fresh'), title: t } }),
  },
  {
    mutation: 'updateAgendaItem',
    field: /(^|\.)title$/,
    actor: 'coordinator',
    document: 'mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { id } }',
    variables: (t) => ({ input: { agendaItemId: ref('agendaItem', 'fresh'), title: t } }),
  },
  {
    mutation: 'addMinuteNote',
    field: /^text$/,
    actor: 'member',
    fresh: { meetingStatus: MeetingStatus.LIVE },
    document: 'mutation($input: MinuteNoteInput!) { addMinuteNote(input: $input) { id } }',
    variables: (t) => ({
      input: { meetingId: ref('meeting', 'fresh'), agendaItemId: ref('agendaItem', 'fresh'), text: t },
    }),
  },
  {
    mutation: 'correctMinuteNote',
    field: /^text$/,
    actor: 'member',
    fresh: { meetingStatus: MeetingStatus.LIVE },
    document: 'mutation($input: CorrectMinuteNoteInput!) { correctMinuteNote(input: $input) { id } }',
    variables: (t) => ({ input: { noteId: ref('note', 'fresh'), text: t } }),
  },
  {
    mutation: 'saveAgendaTemplate',
    field: /^name$/,
    actor: 'coordinator',
    document: 'mutation($id: ID!, $name: String!) { saveAgendaTemplate(meetingId: $id, name: $name) { id } }',
    variables: (t) => ({ id: ref('meeting', 'fresh'), name: t }),
  },
  {
    mutation: 'createMeetingSeries',
    field: /^title$/,
    actor: 'coordinator',
    document: 'mutation($input: CreateMeetingSeriesInput!) { createMeetingSeries(input: $input) { series { id } } }',
    variables: (t) => ({
      input: {
        taskForceId: TF,
        title: t,
        cadence: 'WEEKLY',
        weekday: 2,
        interval: 1,
        startTime: '10:00',
        durationMinutes: 60,
        startsOn: dueOn(),
      },
    }),
  },
  {
    mutation: 'recordDecision',
    field: /^text$/,
    actor: 'coordinator',
    fresh: { meetingStatus: MeetingStatus.LIVE },
    document: 'mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }',
    variables: (t) => ({
      input: { meetingId: ref('meeting', 'fresh'), agendaItemId: ref('agendaItem', 'fresh'), text: t },
    }),
  },
  {
    mutation: 'createActionItem',
    field: /^title$/,
    actor: 'coordinator',
    document: CREATE_ITEM,
    variables: (t) => item({ title: t }),
  },
  {
    mutation: 'createActionItem',
    field: /^description$/,
    actor: 'member',
    document: CREATE_ITEM,
    variables: (t) => item({ description: t }),
  },
  {
    mutation: 'editActionItem',
    field: /^title$/,
    actor: 'coordinator',
    document: EDIT_ITEM,
    variables: (t) => ({ input: { id: ref('actionItem', 'fresh'), title: t } }),
  },
  {
    mutation: 'editActionItem',
    field: /^description$/,
    actor: 'member',
    document: EDIT_ITEM,
    variables: (t) => ({ input: { id: ref('actionItem', 'fresh'), description: t } }),
  },
  {
    mutation: 'changeActionItemStatus',
    field: /^reason$/,
    actor: 'member',
    document:
      'mutation($id: ID!, $reason: String) { changeActionItemStatus(id: $id, status: BLOCKED, reason: $reason) { id } }',
    variables: (t) => ({ id: ref('actionItem', 'fresh'), reason: t }),
  },
  {
    mutation: 'commentOnActionItem',
    field: /^text$/,
    actor: 'member',
    document: 'mutation($id: ID!, $text: String!) { commentOnActionItem(id: $id, text: $text) { id } }',
    variables: (t) => ({ id: ref('actionItem', 'fresh'), text: t }),
  },
  {
    mutation: 'createCaseSummary',
    field: /^caseCode$/,
    actor: 'coordinator',
    document: CREATE_CASE,
    variables: (t) => newCase({ caseCode: t }),
    forms: CODE_FORMS,
  },
  {
    mutation: 'createCaseSummary',
    field: /^sections\.overview$/,
    actor: 'member',
    document: CREATE_CASE,
    variables: (t) => newCase({}, { overview: t }),
  },
  {
    mutation: 'createCaseSummary',
    field: /^sections\.investigation$/,
    actor: 'coordinator',
    document: CREATE_CASE,
    variables: (t) => newCase({}, { investigation: t }),
  },
  {
    mutation: 'createCaseSummary',
    field: /^sections\.prosecution$/,
    actor: 'coordinator',
    document: CREATE_CASE,
    variables: (t) => newCase({}, { prosecution: t }),
  },
  {
    mutation: 'createCaseSummary',
    field: /^sections\.victimSupport$/,
    actor: 'victimWriter',
    document: CREATE_CASE,
    variables: (t) => newCase({}, { victimSupport: t }),
  },
  {
    mutation: 'updateCaseSummary',
    field: /^caseCode$/,
    actor: 'coordinator',
    document: UPDATE_CASE,
    variables: (t) => caseUpdate({ caseCode: t }),
    forms: CODE_FORMS,
  },
  {
    mutation: 'updateCaseSummary',
    field: /^sections\.overview$/,
    actor: 'victimWriter',
    document: UPDATE_CASE,
    variables: (t) => caseUpdate({ sections: { overview: t } }),
  },
  {
    mutation: 'updateCaseSummary',
    field: /^sections\.investigation$/,
    actor: 'member',
    document: UPDATE_CASE,
    variables: (t) => caseUpdate({ sections: { investigation: t } }),
  },
  {
    mutation: 'updateCaseSummary',
    field: /^sections\.prosecution$/,
    actor: 'coordinator',
    document: UPDATE_CASE,
    variables: (t) => caseUpdate({ sections: { prosecution: t } }),
  },
  {
    mutation: 'updateCaseSummary',
    field: /^sections\.victimSupport$/,
    actor: 'victimWriter',
    document: UPDATE_CASE,
    variables: (t) => caseUpdate({ sections: { victimSupport: t } }),
  },
  ...referralFields(),
];

/** The free text of referrals, consents and hearings (issue 18). */
function referralFields(): TextField[] {
  const CONSENT = 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { given } }';
  const consent = (extra: Record<string, unknown>) => ({
    input: {
      caseSummaryId: ref('caseSummary', 'fresh'),
      given: true,
      purposes: ['ASSISTANCE'],
      receiverAgencyIds: [ref('agency', 'fresh')],
      sections: ['OVERVIEW'],
      language: 'română',
      interpreterUsed: true,
      explainedPoints: ['PURPOSE', 'DATA_USE', 'RETENTION', 'ACCESS_RIGHT', 'WITHDRAWAL'],
      readBack: true,
      ...extra,
    },
  });
  const HEARING = 'mutation($input: ScheduleHearingInput!) { scheduleHearing(input: $input) { id } }';
  return [
    {
      mutation: 'recordConsent',
      field: /^language$/,
      actor: 'coordinator',
      document: CONSENT,
      variables: (t) => consent({ language: t }),
      // Short fields: every prose form fits, the longer harmless texts would not.
      forms: PROSE_FORMS,
    },
    {
      mutation: 'recordConsent',
      field: /^legalBasis$/,
      actor: 'coordinator',
      document: CONSENT,
      variables: (t) => consent({ minor: true, legalBasis: t, guardianRole: 'tutore' }),
    },
    {
      mutation: 'recordConsent',
      field: /^guardianRole$/,
      actor: 'coordinator',
      document: CONSENT,
      variables: (t) => consent({ minor: true, legalBasis: 'art. 20 Legea 678/2001', guardianRole: t }),
    },
    {
      mutation: 'requestReferral',
      field: /^overrideReason$/,
      actor: 'coordinator',
      document: 'mutation($input: RequestReferralInput!) { requestReferral(input: $input) { id } }',
      variables: (t) => ({
        input: {
          caseSummaryId: ref('caseSummary', 'fresh'),
          toAgencyId: ref('agency', 'fresh'),
          purpose: 'SHELTER',
          sections: ['OVERVIEW'],
          overrideReason: t,
        },
      }),
    },
    {
      mutation: 'changeReferralStatus',
      field: /^reason$/,
      actor: 'member',
      document: 'mutation($input: ChangeReferralStatusInput!) { changeReferralStatus(input: $input) { id } }',
      variables: (t) => ({ input: { referralId: ref('referral', 'fresh'), status: 'DECLINED', reason: t } }),
    },
    {
      mutation: 'scheduleHearing',
      field: /^court$/,
      actor: 'coordinator',
      document: HEARING,
      variables: (t) => ({
        input: {
          caseSummaryId: ref('caseSummary', 'fresh'),
          court: t,
          startsAt: soon(240),
          kind: 'VICTIM_HEARING',
        },
      }),
    },
    {
      mutation: 'updateReadinessItem',
      field: /^language$/,
      actor: 'coordinator',
      document: 'mutation($input: UpdateReadinessItemInput!) { updateReadinessItem(input: $input) { ready } }',
      variables: (t) => ({
        input: { hearingId: ref('hearing', 'fresh'), item: 'INTERPRETER', state: 'DONE', language: t },
      }),
      forms: PROSE_FORMS,
    },
  ];
}

/**
 * Free text of the administrative mutations (names of task forces, agencies and people). The issue
 * asks that no valid CNP gets through ANY free-text field; these are not screened today.
 */
const ADMINISTRATIVE: TextField[] = [
  {
    mutation: 'createTaskForce',
    field: /^name$/,
    actor: 'admin',
    document: 'mutation($input: CreateTaskForceInput!) { createTaskForce(input: $input) { id } }',
    variables: (t) => ({
      input: {
        code: `Q${Math.floor(Math.random() * 1e6)}`,
        name: t,
        region: 'Oltenia',
        courtOfAppeal: 'Curtea de Apel Craiova',
        counties: ['Dolj'],
      },
    }),
  },
  {
    mutation: 'createTaskForce',
    field: /^region$/,
    actor: 'admin',
    document: 'mutation($input: CreateTaskForceInput!) { createTaskForce(input: $input) { id } }',
    variables: (t) => ({
      input: {
        code: `Q${Math.floor(Math.random() * 1e6)}`,
        name: 'Task force',
        region: t,
        courtOfAppeal: 'Curtea de Apel Craiova',
        counties: ['Dolj'],
      },
    }),
  },
  {
    mutation: 'createTaskForce',
    field: /^courtOfAppeal$/,
    actor: 'admin',
    document: 'mutation($input: CreateTaskForceInput!) { createTaskForce(input: $input) { id } }',
    variables: (t) => ({
      input: {
        code: `Q${Math.floor(Math.random() * 1e6)}`,
        name: 'Task force',
        region: 'Oltenia',
        courtOfAppeal: t,
        counties: ['Dolj'],
      },
    }),
  },
  {
    mutation: 'createTaskForce',
    field: /^counties(\.0)?$/,
    actor: 'admin',
    document: 'mutation($input: CreateTaskForceInput!) { createTaskForce(input: $input) { id } }',
    variables: (t) => ({
      input: {
        code: `Q${Math.floor(Math.random() * 1e6)}`,
        name: 'Task force',
        region: 'Oltenia',
        courtOfAppeal: 'Curtea de Apel Craiova',
        counties: [t],
      },
    }),
  },
  {
    mutation: 'createAgency',
    field: /^name$/,
    actor: 'admin',
    document: 'mutation($input: CreateAgencyInput!) { createAgency(input: $input) { id } }',
    variables: (t) => ({ input: { name: t, kind: 'POLICE' } }),
  },
  {
    mutation: 'createMember',
    field: /^displayName$/,
    actor: 'admin',
    document: 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }',
    variables: (t) => ({
      input: {
        email: ref('email', 'newAddress'),
        displayName: t,
        agencyId: ref('agency', 'fresh'),
        password: 'a long enough password',
      },
    }),
  },
];

describe('properties: no valid CNP gets through a free-text field', () => {
  let app: TestApp;
  let world: PropertiesWorld;

  beforeAll(async () => {
    app = await startTestApp();
    world = await PropertiesWorld.build(app);
  });
  afterAll(() => app?.close());

  /** Sends `text` in the field; returns the response, the tables written and where the CNP is stored. */
  async function attempt(target: TextField, text: string, cnp: string) {
    const run = world.run(target.fresh);
    const token = await run.tokenFor(target.actor);
    const variables = await run.resolve(target.variables(text));
    const before = await snapshot(app.orm);
    const result = await rawGraphQL(`${app.url}/graphql`, target.document, variables, token);
    const after = await snapshot(app.orm);
    const stored = await findInDatabase(app.orm, [cnp, fullWidth(cnp), text]);
    return { result, written: changedTables(before, after), stored };
  }

  it.each(
    SCREENED.map(
      (target) => [`${target.mutation} ${target.field.source.replace(/[\^$\\()|?]/g, '')}`, target] as const,
    ),
  )('%s: refused with BAD_USER_INPUT naming the field, never echoed, never stored', async (_, target) => {
    const forms = target.forms ?? PROSE_FORMS;
    await fc.assert(
      fc.asyncProperty(cnpArb, fc.constantFrom(...Object.keys(forms)), async (cnp, form) => {
        const text = forms[form](cnp);
        const { result, written, stored } = await attempt(target, text, cnp);
        const error = result.body?.errors?.[0];
        expect(result.body?.data?.[target.mutation] ?? null).toBeNull();
        expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(String(error?.extensions?.field)).toMatch(target.field);
        expect(error?.extensions?.identifier).toBe('CNP');
        expect(result.text).not.toContain(cnp);
        expect(result.text).not.toContain(fullWidth(cnp));
        expect(written).toEqual([]);
        expect(stored).toEqual([]);
      }),
      { numRuns: 4, seed: seedFor(`cnp ${target.mutation} ${target.field.source}`), verbose: 1 },
    );
  });

  it('accepts ordinary text without digits in every screened field (the screen does not cry wolf)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCREENED.filter((t) => !t.forms)), harmlessText(), async (target, text) => {
        const run = world.run(target.fresh);
        const token = await run.tokenFor(target.actor);
        const result = await rawGraphQL(
          `${app.url}/graphql`,
          target.document,
          await run.resolve(target.variables(text)),
          token,
        );
        expect(result.body?.errors ?? []).toEqual([]);
        expect(result.body?.data?.[target.mutation]).toBeTruthy();
      }),
      { numRuns: 60, seed: seedFor('cnp harmless'), verbose: 1 },
    );
  });

  it('accepts the ordinary numbers of case work in every screened field: file numbers, dates, hours, amounts', async () => {
    const ordinary = fc
      .tuple(
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 2000, max: 2030 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom('.', '-', ' '),
      )
      .map(
        ([file, year, day, month, thousands, dateSeparator]) =>
          `Dosarul ${file}/${year}, termen ${[pad(day), pad(month), year].join(dateSeparator)} ora 10:30, ` +
          `prejudiciu ${thousands}.250.000 lei`,
      );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCREENED.filter((t) => !t.forms)), ordinary, async (target, text) => {
        const run = world.run(target.fresh);
        const token = await run.tokenFor(target.actor);
        const result = await rawGraphQL(
          `${app.url}/graphql`,
          target.document,
          await run.resolve(target.variables(text)),
          token,
        );
        expect(result.body?.errors ?? []).toEqual([]);
        expect(result.body?.data?.[target.mutation]).toBeTruthy();
      }),
      { numRuns: 30, seed: seedFor('cnp ordinary numbers'), verbose: 1 },
    );
  });

  it('refuses a valid CNP in the administrative free text too: task force name, region, court, counties, agency name, display name', async () => {
    const gotThrough: string[] = [];
    for (const [index, target] of ADMINISTRATIVE.entries()) {
      const cnp = validCnp(`19605234${String(1000 + index)}`);
      const { result, stored } = await attempt(target, `Contact CNP ${cnp}`, cnp);
      const error = result.body?.errors?.[0];
      const refused =
        error?.extensions?.code === 'BAD_USER_INPUT' &&
        target.field.test(String(error.extensions.field)) &&
        error.extensions.identifier === 'CNP';
      if (!refused || stored.length)
        gotThrough.push(
          `${target.mutation}.${target.field.source.replace(/[\^$\\()|?.0]/g, '')} (stored in ${stored.join(', ') || 'nothing'})`,
        );
    }
    expect(gotThrough).toEqual([]);
  });
});
