import { AgencyKind, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import { ConsentRefusalTally, Referral, ReferralConsent } from '@hub/referrals';
import { type TaskForce } from '@hub/task-forces';
import { LiveFactory, type LiveClient, type SignedIn } from '../factories/live.factory';
import { type LiveEvent, subscribe, subscriptionClient } from '../utils/subscription-client';
import { startTestApp, type TestApp } from '../utils/test-app';
import { sleep, waitUntil } from '../utils/wait';

const CREATE_CASE = 'mutation($i: CreateCaseSummaryInput!) { createCaseSummary(input: $i) { id version } }';
const UPDATE_CASE = 'mutation($i: UpdateCaseSummaryInput!) { updateCaseSummary(input: $i) { version } }';
const READ_CASE = `query($id: ID!) { caseSummary(id: $id) {
  overview investigation prosecution victimSupport readableSections
  revisions { changed investigation }
} }`;
const RECORD_CONSENT =
  'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { given consent { id purposes receiverAgencyIds sections withdrawnAt } } }';
const WITHDRAW =
  'mutation($id: ID!) { withdrawConsent(consentId: $id) { consent { withdrawnAt } endedReferrals { id status } } }';
const REQUEST = 'mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id status overridden respondBy } }';
const CHANGE = 'mutation($i: ChangeReferralStatusInput!) { changeReferralStatus(input: $i) { id status } }';
const TASK_FORCE_EVENTS =
  'subscription($tf: ID!, $after: Int) { taskForceEvents(taskForceId: $tf, after: $after) { type cursor data withheld } }';
const POINTS = ['PURPOSE', 'DATA_USE', 'RETENTION', 'ACCESS_RIGHT', 'WITHDRAWAL'];
const INVESTIGATION = 'REF-SECRET the recruiter used a transport company';
const PROSECUTION = 'REF-PROSECUTION indictment drafted';

/** Long enough for an event that should not arrive, or a section that should not be read, to show up. */
const settle = (ms = 400) => sleep(ms);

describe('referrals: consent gates them, access follows them, on every channel', () => {
  let app: TestApp;
  let live: LiveFactory;
  let taskForce: TaskForce;
  let coordinator: SignedIn;
  let police: SignedIn;
  let ngo: SignedIn;
  let court: SignedIn;
  let caseId: string;
  let version: number;

  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    app.gql.data(query, variables, { token });
  const gqlError = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    app.gql.error(query, variables, { token });
  const consentInput = (extra: Record<string, unknown> = {}) => ({
    caseSummaryId: caseId,
    given: true,
    purposes: ['ASSISTANCE'],
    receiverAgencyIds: [ngo.member.agency.id],
    sections: ['INVESTIGATION'],
    language: 'română',
    interpreterUsed: false,
    explainedPoints: POINTS,
    readBack: true,
    ...extra,
  });
  const referralInput = (extra: Record<string, unknown> = {}) => ({
    caseSummaryId: caseId,
    toAgencyId: ngo.member.agency.id,
    purpose: 'ASSISTANCE',
    sections: ['INVESTIGATION'],
    ...extra,
  });
  const updateInvestigation = async (text: string) => {
    const { updateCaseSummary } = await gql(police.token, UPDATE_CASE, {
      i: { id: caseId, baseVersion: version, sections: { investigation: text } },
    });
    version = updateCaseSummary.version;
  };
  const ngoReads = async () => (await gql(ngo.token, READ_CASE, { id: caseId })).caseSummary;
  const changedOf = (data: unknown) => (data as { changed?: string[] } | null)?.changed ?? [];
  const socketChanges = (client: LiveClient) =>
    client.envelopes.filter((e) => e.type === 'caseSummary.updated').map((e) => changedOf(e.data));
  const wsChanges = (events: LiveEvent[]) =>
    events.filter((e) => e.type === 'caseSummary.updated').map((e) => changedOf(e.data ? JSON.parse(e.data) : null));

  beforeAll(async () => {
    app = await startTestApp();
    live = new LiveFactory(app);
    taskForce = await live.identity.taskForce();
    coordinator = await live.person(taskForce, TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    police = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.POLICE);
    ngo = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO);
    court = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.COURT);
    const { createCaseSummary } = await gql(police.token, CREATE_CASE, {
      i: {
        taskForceId: taskForce.id,
        caseCode: 'REF-001',
        stage: 'INVESTIGATION',
        sections: { overview: 'Labour exploitation, 3 victims', investigation: INVESTIGATION },
      },
    });
    caseId = createCaseSummary.id;
    version = createCaseSummary.version;
    // The prosecution section, which the referral never names.
    const prosecutor = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.PROSECUTION);
    const { updateCaseSummary } = await gql(prosecutor.token, UPDATE_CASE, {
      i: { id: caseId, baseVersion: version, sections: { prosecution: PROSECUTION } },
    });
    version = updateCaseSummary.version;
  });
  afterAll(async () => {
    live?.closeAll();
    await app?.close();
  });

  it('no consent, no referral: CONSENT_REQUIRED, nothing written; a member may not override; a refused or uninformed consent stores no consent', async () => {
    const error = await gqlError(police.token, REQUEST, { i: referralInput() });
    expect(error.extensions?.code).toBe('CONSENT_REQUIRED');
    expect(await app.em().count(Referral, {})).toBe(0);
    const override = await gqlError(police.token, REQUEST, { i: referralInput({ overrideReason: 'urgent shelter' }) });
    expect(override.extensions?.code).toBe('FORBIDDEN');

    const uninformed = await gqlError(police.token, RECORD_CONSENT, {
      i: consentInput({ explainedPoints: ['PURPOSE', 'DATA_USE'] }),
    });
    expect(uninformed.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'explainedPoints' });
    const minor = await gqlError(police.token, RECORD_CONSENT, { i: consentInput({ minor: true }) });
    expect(minor.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'legalBasis' });
    const grouped = await gqlError(police.token, RECORD_CONSENT, { i: consentInput({ language: '4 441119 095275' }) });
    expect(grouped.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language', identifier: 'CNP' });

    const refused = await gql(police.token, RECORD_CONSENT, { i: consentInput({ given: false }) });
    expect(refused.recordConsent).toEqual({ given: false, consent: null });
    expect(await app.em().count(ReferralConsent, {})).toBe(0);
    const tallies = await app.em().find(ConsentRefusalTally, {});
    expect(tallies.map((t) => t.refused)).toEqual([1]);
    const audit = await app.em().find(AuditRecord, { action: 'consent.refused' });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain(caseId);
  });

  it('a coordinator may override with a reason: audited and counted', async () => {
    const shelter = await live.person(taskForce, TaskForceRole.MEMBER, AgencyKind.SOCIAL_SERVICES);
    const overridden = await gql(coordinator.token, REQUEST, {
      i: referralInput({
        toAgencyId: shelter.member.agency.id,
        sections: ['OVERVIEW'],
        overrideReason: 'Imminent danger',
      }),
    });
    expect(overridden.requestReferral).toMatchObject({ status: 'REQUESTED', overridden: true });
    expect(await app.em().count(AuditRecord, { action: 'referral.overridden' })).toBe(1);
    const { referralIndicators } = await gql(
      coordinator.token,
      'query($tf: ID!) { referralIndicators(taskForceId: $tf) { overrides consentsRefused referrals } }',
      { tf: taskForce.id },
    );
    expect(referralIndicators).toEqual({ overrides: 1, consentsRefused: 1, referrals: 1 });
  });

  it('with consent the receiver reads exactly the named sections, on GraphQL, Socket.IO, graphql-ws and catch-up; withdrawal ends it at once on all of them', async () => {
    const { recordConsent } = await gql(police.token, RECORD_CONSENT, { i: consentInput() });
    expect(recordConsent.given).toBe(true);
    // The receiver never sees the consent.
    const { referralConsents } = await gql(ngo.token, 'query($c: ID!) { referralConsents(caseSummaryId: $c) { id } }', {
      c: caseId,
    });
    expect(referralConsents).toEqual([]);

    const socket = await live.connect(ngo.token);
    await socket.joined({ taskForceId: taskForce.id });
    const courtSocket = await live.connect(court.token);
    await courtSocket.joined({ taskForceId: taskForce.id });
    const ws = subscriptionClient(app.url, ngo.token);
    const subscription = subscribe<LiveEvent>(ws, TASK_FORCE_EVENTS, { tf: taskForce.id }, 'taskForceEvents');
    await sleep(200);

    const { requestReferral } = await gql(police.token, REQUEST, { i: referralInput() });
    expect(requestReferral.status).toBe('REQUESTED');
    // Requested is not accepted: nothing is shared yet.
    expect((await ngoReads()).investigation).toBeNull();

    await gql(ngo.token, CHANGE, { i: { referralId: requestReferral.id, status: 'ACCEPTED' } });
    const accepted = await ngoReads();
    expect(accepted.investigation).toBe(INVESTIGATION);
    expect(accepted.prosecution).toBeNull();
    expect([...accepted.readableSections].sort()).toEqual(['INVESTIGATION', 'OVERVIEW', 'VICTIM_SUPPORT']);
    expect(accepted.revisions.some((r: { changed: string[] }) => r.changed.includes('INVESTIGATION'))).toBe(true);
    // Another agency with no referral reads nothing more.
    expect((await gql(court.token, READ_CASE, { id: caseId })).caseSummary.investigation).toBeNull();

    await updateInvestigation(`${INVESTIGATION} (updated while shared)`);
    await waitUntil(
      () => socketChanges(socket).length >= 1 && wsChanges(subscription.received).length >= 1,
      'the update live',
    );
    expect(socketChanges(socket)).toEqual([['INVESTIGATION']]);
    expect(wsChanges(subscription.received)).toEqual([['INVESTIGATION']]);
    await courtSocket.waitForEvent('caseSummary.updated');
    expect(socketChanges(courtSocket)).toEqual([[]]);

    const catchUp = await live.connect(ngo.token);
    await catchUp.joined({ taskForceId: taskForce.id, after: 0 });
    expect(socketChanges(catchUp).some((changed) => changed.includes('INVESTIGATION'))).toBe(true);
    catchUp.close();

    // Withdrawal: one transaction ends the referral; the next query and the next event show nothing of it.
    const withdrawn = await gql(police.token, WITHDRAW, { id: recordConsent.consent.id });
    expect(withdrawn.withdrawConsent.endedReferrals).toEqual([{ id: requestReferral.id, status: 'CONSENT_WITHDRAWN' }]);
    const after = await ngoReads();
    expect(after.investigation).toBeNull();
    expect(after.readableSections).not.toContain('INVESTIGATION');
    expect(
      after.revisions.every(
        (r: { changed: string[]; investigation: string | null }) =>
          !r.changed.includes('INVESTIGATION') && r.investigation === null,
      ),
    ).toBe(true);
    await waitUntil(
      () =>
        socket.envelopes.some(
          (e) => e.type === 'referral.changed' && (e.data as { status?: string })?.status === 'CONSENT_WITHDRAWN',
        ),
      'the withdrawal live',
      { timeoutMs: 1_000 },
    );
    await updateInvestigation(`${INVESTIGATION} (after withdrawal)`);
    await waitUntil(
      () => socketChanges(socket).length >= 2 && wsChanges(subscription.received).length >= 2,
      'the second update live',
    );
    expect(socketChanges(socket)[1]).toEqual([]);
    expect(wsChanges(subscription.received)[1]).toEqual([]);

    const lateCatchUp = await live.connect(ngo.token);
    await lateCatchUp.joined({ taskForceId: taskForce.id, after: 0 });
    expect(socketChanges(lateCatchUp).every((changed) => !changed.includes('INVESTIGATION'))).toBe(true);
    const lateWs = subscribe<LiveEvent>(ws, TASK_FORCE_EVENTS, { tf: taskForce.id, after: 0 }, 'taskForceEvents');
    await waitUntil(() => lateWs.received.length > 0, 'the graphql-ws catch-up');
    await settle();
    expect(wsChanges(lateWs.received).every((changed) => !changed.includes('INVESTIGATION'))).toBe(true);
    expect(JSON.stringify(lateWs.received)).not.toContain('REF-SECRET');
    lateWs.unsubscribe();
    subscription.unsubscribe();
    await ws.dispose();
  });

  it('a declined referral shows the receiver nothing, and a decline needs a reason', async () => {
    await gql(police.token, RECORD_CONSENT, { i: consentInput() });
    const { requestReferral } = await gql(police.token, REQUEST, { i: referralInput({ urgent: true }) });
    const respondBy = new Date(requestReferral.respondBy).getTime();
    expect(respondBy - Date.now()).toBeLessThanOrEqual(4 * 3_600_000);
    expect(respondBy - Date.now()).toBeGreaterThan(3.9 * 3_600_000);
    const noReason = await gqlError(ngo.token, CHANGE, { i: { referralId: requestReferral.id, status: 'DECLINED' } });
    expect(noReason.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const byReferrer = await gqlError(police.token, CHANGE, {
      i: { referralId: requestReferral.id, status: 'ACCEPTED' },
    });
    expect(byReferrer.extensions?.code).toBe('FORBIDDEN');
    const { changeReferralStatus } = await gql(ngo.token, CHANGE, {
      i: { referralId: requestReferral.id, status: 'DECLINED', reason: 'No place in the shelter this week' },
    });
    expect(changeReferralStatus.status).toBe('DECLINED');
    expect((await ngoReads()).investigation).toBeNull();
    const reopen = await gqlError(ngo.token, CHANGE, { i: { referralId: requestReferral.id, status: 'ACCEPTED' } });
    expect(reopen.extensions?.code).toBe('CONFLICT');
    // The court (neither side, not a coordinator) does not even see it.
    const hidden = await gqlError(court.token, 'query($id: ID!) { referral(id: $id) { id } }', {
      id: requestReferral.id,
    });
    expect(hidden.extensions?.code).toBe('NOT_FOUND');
  });

  it('minutes never carry section text, shared or not', async () => {
    await gql(police.token, RECORD_CONSENT, { i: consentInput({ purposes: ['SHELTER'] }) });
    const { requestReferral } = await gql(police.token, REQUEST, { i: referralInput({ purpose: 'SHELTER' }) });
    await gql(ngo.token, CHANGE, { i: { referralId: requestReferral.id, status: 'ACCEPTED' } });
    const soon = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const { scheduleMeeting } = await gql(
      coordinator.token,
      'mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { id } }',
      {
        i: {
          taskForceId: taskForce.id,
          title: 'Cases',
          startsAt: soon(1),
          endsAt: soon(2),
          agenda: [{ title: 'REF-001', caseSummaryId: caseId }],
        },
      },
    );
    const response = await fetch(`${app.url}/meetings/${scheduleMeeting.id}/minutes.md`, {
      headers: { authorization: `Bearer ${ngo.token}` },
    });
    expect(response.status).toBe(200);
    const minutes = await response.text();
    expect(minutes).toContain('REF-001');
    expect(minutes).not.toContain('REF-SECRET');
    await gql(ngo.token, CHANGE, { i: { referralId: requestReferral.id, status: 'IN_SERVICE' } });
    expect((await ngoReads()).investigation).toContain('REF-SECRET');
    await gql(ngo.token, CHANGE, { i: { referralId: requestReferral.id, status: 'COMPLETED' } });
    expect((await ngoReads()).investigation).toBeNull();
  });

  it('hearings: the checklist is completed by its owners; an interpreter names the language; the calendar feed shows no case or victim data', async () => {
    const SCHEDULE_HEARING =
      'mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { id ready checklist { item ownerAgencyId state language } } }';
    const UPDATE_ITEM =
      'mutation($i: UpdateReadinessItemInput!) { updateReadinessItem(input: $i) { ready checklist { item state language } } }';
    const ngoAgency = ngo.member.agency.id;
    const { scheduleHearing } = await gql(police.token, SCHEDULE_HEARING, {
      i: {
        caseSummaryId: caseId,
        court: 'Tribunalul București',
        startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        kind: 'VICTIM_HEARING',
        owners: [
          { item: 'SUPPORT_WORKER', agencyId: ngoAgency },
          { item: 'INTERPRETER', agencyId: ngoAgency },
        ],
      },
    });
    expect(scheduleHearing.ready).toBe(false);
    expect(scheduleHearing.checklist).toHaveLength(6);
    const notOwner = await gqlError(police.token, UPDATE_ITEM, {
      i: { hearingId: scheduleHearing.id, item: 'SUPPORT_WORKER', state: 'DONE' },
    });
    expect(notOwner.extensions?.code).toBe('FORBIDDEN');
    const noLanguage = await gqlError(ngo.token, UPDATE_ITEM, {
      i: { hearingId: scheduleHearing.id, item: 'INTERPRETER', state: 'DONE' },
    });
    expect(noLanguage.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language' });
    await gql(ngo.token, UPDATE_ITEM, { i: { hearingId: scheduleHearing.id, item: 'SUPPORT_WORKER', state: 'DONE' } });
    await gql(ngo.token, UPDATE_ITEM, {
      i: { hearingId: scheduleHearing.id, item: 'INTERPRETER', state: 'DONE', language: 'vietnameză' },
    });
    for (const item of ['LEGAL_AID_LAWYER', 'TESTIMONY_PROTECTION', 'TRANSPORT'])
      await gql(police.token, UPDATE_ITEM, { i: { hearingId: scheduleHearing.id, item, state: 'DONE' } });
    const last = await gql(police.token, UPDATE_ITEM, {
      i: { hearingId: scheduleHearing.id, item: 'PUBLICATION_DATA_REQUEST', state: 'NOT_NEEDED' },
    });
    expect(last.updateReadinessItem.ready).toBe(true);
    const { hearings } = await gql(court.token, 'query($tf: ID!) { hearings(taskForceId: $tf) { id ready court } }', {
      tf: taskForce.id,
    });
    expect(hearings).toEqual([{ id: scheduleHearing.id, ready: true, court: 'Tribunalul București' }]);
    // On a meeting's agenda: the hearings in the 14 days from its start.
    const soon = new Date(Date.now() + 2 * 86_400_000);
    const { scheduleMeeting } = await gql(
      coordinator.token,
      'mutation($i: ScheduleMeetingInput!) { scheduleMeeting(input: $i) { id } }',
      {
        i: {
          taskForceId: taskForce.id,
          title: 'Before the hearing',
          startsAt: soon.toISOString(),
          endsAt: new Date(soon.getTime() + 3_600_000).toISOString(),
        },
      },
    );
    const { meeting } = await gql(
      court.token,
      'query($id: ID!) { meeting(id: $id) { upcomingHearings { id ready kind } } }',
      {
        id: scheduleMeeting.id,
      },
    );
    expect(meeting.upcomingHearings).toEqual([{ id: scheduleHearing.id, ready: true, kind: 'VICTIM_HEARING' }]);
    // In the calendar feed: when, which court and what kind, nothing of the case or the victim.
    const { createCalendarFeed } = await gql(court.token, 'mutation { createCalendarFeed { url } }');
    const feed = await (await fetch(createCalendarFeed.url)).text();
    expect(feed).toContain(`UID:${scheduleHearing.id}@task-force-hub`);
    expect(feed).toContain('Court hearing: victim hearing');
    expect(feed).toContain('Tribunalul București');
    for (const secret of ['REF-001', 'REF-SECRET', 'vietnameză', caseId]) expect(feed).not.toContain(secret);
  });
});
