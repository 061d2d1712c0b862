import { AgencyKind, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { CaseSummary, CaseSummaryRevision } from '@hub/case-summaries';
import { type TaskForce } from '@hub/task-forces';
import { invalidCnp, validCnp } from '../factories/cnp';
import { IdentityFactory } from '../factories/identity.factory';
import { startTestApp, type TestApp } from '../utils/test-app';

type SignedIn = Awaited<ReturnType<IdentityFactory['signedIn']>>;

const SECTIONS = 'overview investigation prosecution victimSupport readableSections writableSections';
const CREATE = `mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id caseCode version stage counts { victims minors } ${SECTIONS} } }`;
const UPDATE = `mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { id version ${SECTIONS} } }`;
const READ = `query($id: ID!) { caseSummary(id: $id) { id caseCode version ${SECTIONS} updatedBy { email }
  revisions { version changed caseCode author { email } ${'overview investigation prosecution victimSupport'} } } }`;
const LIST = `query($tf: ID!) { caseSummaries(taskForceId: $tf) { id caseCode ${SECTIONS} } }`;
const COMPARE = `query($id: ID!, $from: Int!, $to: Int!) { compareCaseSummaryVersions(id: $id, fromVersion: $from, toVersion: $to) { field before after } }`;

/** Distinctive texts, so a leak anywhere in a response is found by a plain string search. */
const INVESTIGATION_MARKER = 'INV-MARKER surveillance of the recruiter network';
const PROSECUTION_MARKER = 'PROS-MARKER indictment drafted for three defendants';
const SUPPORT_MARKER = 'SUP-MARKER shelter placement and counselling';

describe('case summaries: need to know, versions, revisions and the identifier screen', () => {
  let app: TestApp;
  let make: IdentityFactory;
  let taskForce: TaskForce;
  let coordinator: SignedIn; // national agency
  let police: SignedIn;
  let ngo: SignedIn;
  let prosecutor: SignedIn;
  let court: SignedIn; // observer
  let outsider: SignedIn;
  let caseId: string;

  beforeAll(async () => {
    app = await startTestApp();
    make = new IdentityFactory(app);
    taskForce = await make.taskForce();
    coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    police = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.POLICE });
    ngo = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.VICTIM_SUPPORT_NGO });
    prosecutor = await make.signedIn(taskForce, TaskForceRole.MEMBER, { kind: AgencyKind.ORGANISED_CRIME_PROSECUTION });
    court = await make.signedIn(taskForce, TaskForceRole.OBSERVER, { kind: AgencyKind.COURT });
    outsider = await make.signedIn(await make.taskForce(), TaskForceRole.COORDINATOR, {
      kind: AgencyKind.ORGANISED_CRIME_PROSECUTION,
    });

    const { createCaseSummary } = await app.gql.data(
      CREATE,
      {
        input: {
          taskForceId: taskForce.id,
          caseCode: 'tf-2026-001',
          stage: 'INVESTIGATION',
          exploitationForms: ['LABOUR', 'SEXUAL'],
          counts: { victims: 4, minors: 1, victimsInProceedings: 2, protectedWitnesses: 1 },
          sections: { overview: 'Four victims recruited through a job advert', investigation: INVESTIGATION_MARKER },
        },
      },
      { token: police.token },
    );
    caseId = createCaseSummary.id;
    expect(createCaseSummary).toMatchObject({
      caseCode: 'TF-2026-001',
      version: 1,
      investigation: INVESTIGATION_MARKER,
      victimSupport: null,
    });
    // The other sections are written by the agencies that own them.
    await app.gql.data(
      UPDATE,
      { input: { id: caseId, baseVersion: 1, sections: { prosecution: PROSECUTION_MARKER } } },
      { token: prosecutor.token },
    );
    await app.gql.data(
      UPDATE,
      { input: { id: caseId, baseVersion: 2, sections: { victimSupport: SUPPORT_MARKER } } },
      { token: ngo.token },
    );
  });
  afterAll(() => app.close());

  it('shows each agency only the sections the policy table gives it', async () => {
    const expectations: [string, SignedIn, Record<string, string | null>, string[], string[]][] = [
      [
        'police',
        police,
        { investigation: INVESTIGATION_MARKER, prosecution: PROSECUTION_MARKER, victimSupport: null },
        ['OVERVIEW', 'INVESTIGATION', 'PROSECUTION'],
        ['OVERVIEW', 'INVESTIGATION'],
      ],
      [
        'ngo',
        ngo,
        { investigation: null, prosecution: null, victimSupport: SUPPORT_MARKER },
        ['OVERVIEW', 'VICTIM_SUPPORT'],
        ['OVERVIEW', 'VICTIM_SUPPORT'],
      ],
      [
        'court observer',
        court,
        { investigation: null, prosecution: PROSECUTION_MARKER, victimSupport: null },
        ['OVERVIEW', 'PROSECUTION'],
        [],
      ],
      [
        'national agency',
        coordinator,
        { investigation: null, prosecution: PROSECUTION_MARKER, victimSupport: SUPPORT_MARKER },
        ['OVERVIEW', 'PROSECUTION', 'VICTIM_SUPPORT'],
        ['OVERVIEW', 'VICTIM_SUPPORT'],
      ],
    ];
    for (const [who, reader, sections, readable, writable] of expectations) {
      const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: reader.token });
      expect({ who, ...caseSummary, revisions: undefined, updatedBy: undefined }).toMatchObject({
        who,
        overview: 'Four victims recruited through a job advert',
        ...sections,
        readableSections: readable,
        writableSections: writable,
      });
    }
  });

  it('never lets the victim-support NGO read the investigation, through any query, revision, comparison or export', async () => {
    const responses: unknown[] = [];
    responses.push(await app.gql.request(READ, { id: caseId }, { token: ngo.token }));
    responses.push(await app.gql.request(LIST, { tf: taskForce.id }, { token: ngo.token }));
    for (let from = 1; from <= 3; from++)
      for (let to = 1; to <= 3; to++)
        responses.push(await app.gql.request(COMPARE, { id: caseId, from, to }, { token: ngo.token }));
    // A meeting that links the case from its agenda and a decision, and an action item on it.
    const { scheduleMeeting } = await app.gql.data(
      `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id } } }`,
      {
        input: {
          taskForceId: taskForce.id,
          title: 'Case review',
          startsAt: '2026-12-01T09:00:00Z',
          endsAt: '2026-12-01T10:00:00Z',
          agenda: [{ title: 'Case TF-2026-001', caseSummaryId: caseId }],
        },
      },
      { token: coordinator.token },
    );
    await app.gql.data(
      'mutation($id: ID!) { startMeeting(meetingId: $id) { id } }',
      { id: scheduleMeeting.id },
      { token: coordinator.token },
    );
    await app.gql.data(
      'mutation($input: DecisionInput!) { recordDecision(input: $input) { id } }',
      {
        input: {
          meetingId: scheduleMeeting.id,
          agendaItemId: scheduleMeeting.agenda[0].id,
          text: 'Refer to shelter',
          caseSummaryId: caseId,
        },
      },
      { token: coordinator.token },
    );
    await app.gql.data(
      'mutation($input: CreateActionItemInput!) { createActionItem(input: $input) { id } }',
      {
        input: {
          taskForceId: taskForce.id,
          title: 'Arrange shelter',
          dueOn: '2026-12-10',
          assignee: { memberId: ngo.member.id },
          caseSummaryId: caseId,
          meetingId: scheduleMeeting.id,
        },
      },
      { token: coordinator.token },
    );
    const everything = `{ investigation prosecution overview revisions { investigation prosecution changed } }`;
    responses.push(
      await app.gql.request(
        `query($id: ID!) { meeting(id: $id) { agenda { caseSummary ${everything} } decisions { caseSummary ${everything} } actionItems { caseSummary ${everything} } } }`,
        { id: scheduleMeeting.id },
        { token: ngo.token },
      ),
    );
    responses.push(
      await app.gql.request(
        `query($tf: ID!) { actionItems(taskForceId: $tf) { nodes { caseSummary ${everything} } } }`,
        { tf: taskForce.id },
        { token: ngo.token },
      ),
    );
    responses.push(
      await app.gql.request(
        'query($id: ID!) { meetingMinutes(meetingId: $id) { content } }',
        { id: scheduleMeeting.id },
        { token: ngo.token },
      ),
    );
    const minutes = await fetch(`${app.url}/meetings/${scheduleMeeting.id}/minutes.md`, {
      headers: { authorization: `Bearer ${ngo.token}` },
    });
    expect(minutes.status).toBe(200);
    responses.push(await minutes.text());

    const seen = JSON.stringify(responses);
    expect(seen).toContain(SUPPORT_MARKER); // the NGO does see its own section...
    expect(seen).not.toContain('INV-MARKER'); // ...and never the investigation
    expect(seen).not.toContain('PROS-MARKER');
    // Revisions do not even say that the investigation changed.
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: ngo.token });
    expect(caseSummary.revisions.flatMap((r: { changed: string[] }) => r.changed)).not.toContain('INVESTIGATION');
    expect(caseSummary.revisions.map((r: { version: number }) => r.version)).toEqual([3, 2, 1]);
  });

  it('refuses writes to sections the agency may not write, and observers write nothing', async () => {
    const before = await app.em().findOneOrFail(CaseSummary, { id: caseId });
    const ngoInvestigation = await app.gql.error(
      UPDATE,
      { input: { id: caseId, baseVersion: before.version, sections: { investigation: 'overwrite' } } },
      { token: ngo.token },
    );
    expect(ngoInvestigation.extensions).toEqual({ code: 'FORBIDDEN', field: 'sections.investigation' });
    const observer = await app.gql.error(
      UPDATE,
      { input: { id: caseId, baseVersion: before.version, sections: { overview: 'changed' } } },
      { token: court.token },
    );
    expect(observer.extensions).toEqual({ code: 'FORBIDDEN', field: 'sections.overview' });
    const observerCounts = await app.gql.error(
      UPDATE,
      { input: { id: caseId, baseVersion: before.version, counts: { victims: 9 } } },
      { token: court.token },
    );
    expect(observerCounts.extensions?.code).toBe('FORBIDDEN');
    const observerCreate = await app.gql.error(
      CREATE,
      { input: { taskForceId: taskForce.id, caseCode: 'TF-OBS-1', stage: 'IDENTIFICATION' } },
      { token: court.token },
    );
    expect(observerCreate.extensions?.code).toBe('FORBIDDEN');
    const after = await app.em().findOneOrFail(CaseSummary, { id: caseId });
    expect(after.version).toBe(before.version);
    expect(after.investigation).toBe(INVESTIGATION_MARKER);
  });

  it('refuses a stale update with CONFLICT and the current version, applying nothing', async () => {
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    const base = caseSummary.version;
    await app.gql.data(
      UPDATE,
      { input: { id: caseId, baseVersion: base, stage: 'PROSECUTION' } },
      { token: police.token },
    );
    const stale = await app.gql.error(
      UPDATE,
      { input: { id: caseId, baseVersion: base, sections: { victimSupport: 'my stale edit' } } },
      { token: ngo.token },
    );
    expect(stale.extensions).toEqual({ code: 'CONFLICT', field: 'baseVersion', currentVersion: base + 1 });
    expect(stale.message).toMatch(/Reload it/);
    const stored = await app.em().findOneOrFail(CaseSummary, { id: caseId });
    expect(stored.victimSupport).toBe(SUPPORT_MARKER);
    expect(stored.version).toBe(base + 1);
  });

  it('lets exactly one of several concurrent saves of the same version win', async () => {
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    const base = caseSummary.version;
    const revisionsBefore = await app.em().count(CaseSummaryRevision, { caseSummary: caseId });
    const writers = [police, ngo, coordinator, police, ngo, prosecutor];
    const results = await Promise.all(
      writers.map((writer, i) =>
        app.gql.request(
          UPDATE,
          { input: { id: caseId, baseVersion: base, sections: { overview: `Concurrent overview ${i}` } } },
          { token: writer.token },
        ),
      ),
    );
    const won = results.filter((r) => r.data?.updateCaseSummary);
    const conflicts = results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT');
    expect(won).toHaveLength(1);
    expect(conflicts).toHaveLength(writers.length - 1);
    const stored = await app.em().findOneOrFail(CaseSummary, { id: caseId });
    expect(stored.version).toBe(base + 1);
    expect(stored.overview).toBe(won[0].data.updateCaseSummary.overview);
    expect(await app.em().count(CaseSummaryRevision, { caseSummary: caseId })).toBe(revisionsBefore + 1);
  });

  it('lists revisions and compares versions within what the reader may see', async () => {
    const { compareCaseSummaryVersions: police12 } = await app.gql.data(
      COMPARE,
      { id: caseId, from: 1, to: 2 },
      { token: police.token },
    );
    expect(police12).toEqual([{ field: 'PROSECUTION', before: '', after: PROSECUTION_MARKER }]);
    const { compareCaseSummaryVersions: ngo12 } = await app.gql.data(
      COMPARE,
      { id: caseId, from: 1, to: 2 },
      { token: ngo.token },
    );
    expect(ngo12).toEqual([]);
    const { compareCaseSummaryVersions: ngo23 } = await app.gql.data(
      COMPARE,
      { id: caseId, from: 2, to: 3 },
      { token: ngo.token },
    );
    expect(ngo23).toEqual([{ field: 'VICTIM_SUPPORT', before: '', after: SUPPORT_MARKER }]);
    const missing = await app.gql.error(COMPARE, { id: caseId, from: 1, to: 999 }, { token: police.token });
    expect(missing.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'toVersion' });
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    const first = caseSummary.revisions.at(-1);
    expect(first).toMatchObject({
      version: 1,
      caseCode: 'TF-2026-001',
      author: { email: police.member.email },
      investigation: INVESTIGATION_MARKER,
      prosecution: '',
    });
  });

  it('audits every read of a restricted section and every change, and no read that was withheld', async () => {
    const count = (where: object) => app.em().count(AuditRecord, { subjectId: caseId, ...where });
    const policeReads = await count({ action: 'caseSummary.sectionRead', actorId: police.member.id });
    await app.gql.data(
      `query($id: ID!) { caseSummary(id: $id) { overview investigation prosecution victimSupport } }`,
      { id: caseId },
      { token: police.token },
    );
    // Police may read investigation and prosecution (restricted); overview is readable by all, victim support is withheld.
    expect(await count({ action: 'caseSummary.sectionRead', actorId: police.member.id })).toBe(policeReads + 2);
    const latest = await app
      .em()
      .find(
        AuditRecord,
        { subjectId: caseId, actorId: police.member.id, action: 'caseSummary.sectionRead' },
        { orderBy: { id: 'desc' }, limit: 2 },
      );
    expect(latest.map((r) => r.details?.section).sort()).toEqual(['INVESTIGATION', 'PROSECUTION']);
    expect(latest[0]).toMatchObject({ taskForceId: taskForce.id, ip: '127.0.0.1', details: { via: 'summary' } });

    const ngoReads = await count({ action: 'caseSummary.sectionRead', actorId: ngo.member.id });
    await app.gql.data(
      `query($id: ID!) { caseSummary(id: $id) { investigation prosecution } }`,
      { id: caseId },
      { token: ngo.token },
    );
    expect(await count({ action: 'caseSummary.sectionRead', actorId: ngo.member.id })).toBe(ngoReads);

    expect(await count({ action: 'caseSummary.created' })).toBe(1);
    const updates = await app.em().count(CaseSummaryRevision, { caseSummary: caseId });
    expect(await count({ action: 'caseSummary.updated' })).toBe(updates - 1);
  });

  it('keeps case codes unique in a task force and counts consistent', async () => {
    const duplicate = await app.gql.error(
      CREATE,
      { input: { taskForceId: taskForce.id, caseCode: 'TF-2026-001', stage: 'IDENTIFICATION' } },
      { token: police.token },
    );
    expect(duplicate.extensions).toEqual({ code: 'CONFLICT', field: 'caseCode' });
    const minors = await app.gql.error(
      CREATE,
      {
        input: {
          taskForceId: taskForce.id,
          caseCode: 'TF-2026-002',
          stage: 'IDENTIFICATION',
          counts: { victims: 1, minors: 2 },
        },
      },
      { token: police.token },
    );
    expect(minors.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'counts.minors' });
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    const update = await app.gql.error(
      UPDATE,
      { input: { id: caseId, baseVersion: caseSummary.version, counts: { victimsInProceedings: 99 } } },
      { token: police.token },
    );
    expect(update.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'counts.victimsInProceedings' });
    expect(await app.em().count(CaseSummary, { taskForce: taskForce.id })).toBe(1);
  });

  it('refuses null for what an update may leave out but not clear, naming the field', async () => {
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    const cases: [Record<string, unknown>, string][] = [
      [{ caseCode: null }, 'caseCode'],
      [{ stage: null }, 'stage'],
      [{ exploitationForms: null }, 'exploitationForms'],
      [{ counts: null }, 'counts'],
      [{ counts: { victims: null } }, 'counts.victims'],
      [{ sections: null }, 'sections'],
      [{ sections: { overview: null } }, 'sections.overview'],
    ];
    for (const [changes, field] of cases) {
      const result = await app.gql.request(
        UPDATE,
        { input: { id: caseId, baseVersion: caseSummary.version, ...changes } },
        { token: police.token },
      );
      expect({ field, extensions: result.errors?.[0].extensions }).toEqual({
        field,
        extensions: { code: 'BAD_USER_INPUT', field },
      });
    }
    expect((await app.em().findOneOrFail(CaseSummary, { id: caseId })).version).toBe(caseSummary.version);
  });

  it('refuses personal identifiers in case codes and sections without echoing them', async () => {
    const cnp = validCnp();
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ sections: { overview: `Victim born 1996, CNP ${cnp}, recruited in Iași` } }, 'sections.overview', 'CNP'],
      [
        { sections: { investigation: 'Payments went to RO49 AAAA 1B31 0075 9384 0000' } },
        'sections.investigation',
        'IBAN',
      ],
      [{ sections: { investigation: 'Recruiter reachable at 0722 123 456' } }, 'sections.investigation', 'PHONE'],
      [{ caseCode: cnp }, 'caseCode', 'CNP'],
    ];
    for (const [changes, field, identifier] of cases) {
      const error = await app.gql.error(
        UPDATE,
        { input: { id: caseId, baseVersion: caseSummary.version, ...changes } },
        { token: police.token },
      );
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field, identifier });
      expect(error.message).not.toContain(cnp);
      expect(error.message).not.toContain('0722');
    }
    expect((await app.em().findOneOrFail(CaseSummary, { id: caseId })).version).toBe(caseSummary.version);
    // A 13-digit number whose check digit is wrong is not a CNP: it is accepted.
    const accepted = await app.gql.data(
      UPDATE,
      {
        input: {
          id: caseId,
          baseVersion: caseSummary.version,
          sections: { investigation: `Court file reference ${invalidCnp()}` },
        },
      },
      { token: police.token },
    );
    expect(accepted.updateCaseSummary.investigation).toContain(invalidCnp());
  });

  it('answers NOT_FOUND to other task forces and FORBIDDEN to administrators who are not members', async () => {
    const { caseSummary } = await app.gql.data(READ, { id: caseId }, { token: police.token });
    for (const [query, variables] of [
      [READ, { id: caseId }],
      [LIST, { tf: taskForce.id }],
      [COMPARE, { id: caseId, from: 1, to: 2 }],
      [UPDATE, { input: { id: caseId, baseVersion: caseSummary.version, stage: 'CLOSED' } }],
      [CREATE, { input: { taskForceId: taskForce.id, caseCode: 'TF-OUT-1', stage: 'IDENTIFICATION' } }],
    ] as [string, Record<string, unknown>][]) {
      const result = await app.gql.request(query, variables, { token: outsider.token });
      expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(JSON.stringify(result)).not.toMatch(/MARKER|TF-2026/);
    }
    const admin = await make.signedIn(null, TaskForceRole.MEMBER, { admin: true });
    expect((await app.gql.error(LIST, { tf: taskForce.id }, { token: admin.token })).extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await app.gql.error(READ, { id: caseId }, { token: admin.token })).extensions?.code).toBe('NOT_FOUND');
    expect((await app.em().findOneOrFail(CaseSummary, { id: caseId })).stage).not.toBe('CLOSED');
  });
});

describe('case summaries: reading is not writing', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('keeps the version when a case summary is loaded in a transaction, or saved with nothing to change', async () => {
    const make = new IdentityFactory(app);
    const taskForce = await make.taskForce();
    const coordinator = await make.signedIn(taskForce, TaskForceRole.COORDINATOR, { kind: AgencyKind.NATIONAL_AGENCY });
    const { createCaseSummary } = await app.gql.data(
      'mutation($input: CreateCaseSummaryInput!) { createCaseSummary(input: $input) { id version } }',
      {
        input: {
          taskForceId: taskForce.id,
          caseCode: 'TF-2026-900',
          stage: 'INVESTIGATION',
          sections: { overview: 'Two victims.' },
        },
      },
      { token: coordinator.token },
    );
    await app.orm.em.fork().transactional((em) => em.findOneOrFail(CaseSummary, createCaseSummary.id));
    const { updateCaseSummary } = await app.gql.data(
      'mutation($input: UpdateCaseSummaryInput!) { updateCaseSummary(input: $input) { version } }',
      { input: { id: createCaseSummary.id, baseVersion: 1 } },
      { token: coordinator.token },
    );
    expect(updateCaseSummary.version).toBe(1);
    expect((await app.em().findOneOrFail(CaseSummary, createCaseSummary.id)).version).toBe(1);
  });
});
