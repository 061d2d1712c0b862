import { type Actor, AgencyKind, CaseSection, TaskForceRole } from '@hub/access';
import { CaseStage, CaseSummariesService } from '@hub/case-summaries';
import { DomainEvent } from '@hub/events';
import {
  ConsentPoint,
  type NewConsent,
  Referral,
  ReferralConsent,
  ReferralPurpose,
  ReferralsService,
  ReferralStatus,
} from '@hub/referrals';
import { type TaskForce } from '@hub/task-forces';
import { IdentityFactory } from '../factories/identity.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/**
 * The referral rules on ReferralsService directly: the consent gate, what a consent must hold,
 * what may be shared, and that withdrawing a consent ends every referral resting on it at once.
 */
describe('ReferralsService', () => {
  let app: ServiceApp;
  let referrals: ReferralsService;
  let cases: CaseSummariesService;
  let taskForce: TaskForce;
  let coordinator: Actor;
  let police: Actor;
  let ngo: Actor;
  let shelter: Actor;
  let caseId: string;

  const consent = (extra: Partial<NewConsent> = {}): NewConsent => ({
    caseSummaryId: caseId,
    given: true,
    purposes: [ReferralPurpose.ASSISTANCE, ReferralPurpose.SHELTER],
    receiverAgencyIds: [ngo.agencyId, shelter.agencyId],
    sections: [CaseSection.OVERVIEW, CaseSection.INVESTIGATION],
    language: 'română',
    interpreterUsed: true,
    explainedPoints: Object.values(ConsentPoint),
    readBack: true,
    ...extra,
  });
  const refer = (to: Actor, purpose = ReferralPurpose.ASSISTANCE, sections = [CaseSection.INVESTIGATION]) =>
    referrals.request(police, { caseSummaryId: caseId, toAgencyId: to.agencyId, purpose, sections });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: { code?: string; extensions?: { field?: string } }) => `${error.code}:${error.extensions?.field ?? ''}`,
    );

  beforeAll(async () => {
    app = await startServiceApp();
    referrals = app.get(ReferralsService);
    cases = app.get(CaseSummariesService);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const person = async (role: TaskForceRole, kind: AgencyKind) => {
      const member = await identity.member({ kind });
      await identity.membership(taskForce, member, role);
      return app.actor(member);
    };
    coordinator = await person(TaskForceRole.COORDINATOR, AgencyKind.NATIONAL_AGENCY);
    police = await person(TaskForceRole.MEMBER, AgencyKind.POLICE);
    ngo = await person(TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO);
    shelter = await person(TaskForceRole.MEMBER, AgencyKind.SOCIAL_SERVICES);
    const summary = await cases.create(police, {
      taskForceId: taskForce.id,
      caseCode: 'SRV-001',
      stage: CaseStage.INVESTIGATION,
      sections: { [CaseSection.INVESTIGATION]: 'Service-tier investigation text' },
    });
    caseId = summary.id;
  });
  afterAll(() => app?.close());

  it('a consent must be informed, name what it covers, and for a minor its legal basis and guardian', async () => {
    expect(await code(referrals.recordConsent(police, consent({ readBack: false })))).toBe(
      'BAD_USER_INPUT:explainedPoints',
    );
    expect(await code(referrals.recordConsent(police, consent({ explainedPoints: [ConsentPoint.PURPOSE] })))).toBe(
      'BAD_USER_INPUT:explainedPoints',
    );
    expect(await code(referrals.recordConsent(police, consent({ purposes: [] })))).toBe('BAD_USER_INPUT:purposes');
    expect(await code(referrals.recordConsent(police, consent({ minor: true, legalBasis: 'art. 20' })))).toBe(
      'BAD_USER_INPUT:guardianRole',
    );
    // The police may not read victim support, so they cannot share it.
    expect(await code(referrals.recordConsent(police, consent({ sections: [CaseSection.VICTIM_SUPPORT] })))).toBe(
      'FORBIDDEN:sections',
    );
    expect(await app.em().count(ReferralConsent, {})).toBe(0);
  });

  it('the gate: the consent must name the purpose, the receiver and every section', async () => {
    await referrals.recordConsent(police, consent());
    expect(await code(refer(ngo, ReferralPurpose.HEALTH))).toBe('CONSENT_REQUIRED:caseSummaryId');
    expect(await code(refer(ngo, ReferralPurpose.ASSISTANCE, [CaseSection.PROSECUTION]))).toBe(
      'CONSENT_REQUIRED:caseSummaryId',
    );
    // Another agency's consent does not cover the coordinator's agency.
    expect(
      await code(
        referrals.request(coordinator, {
          caseSummaryId: caseId,
          toAgencyId: ngo.agencyId,
          purpose: ReferralPurpose.ASSISTANCE,
          sections: [CaseSection.OVERVIEW],
        }),
      ),
    ).toBe('CONSENT_REQUIRED:caseSummaryId');
    expect(await code(refer(police))).toBe('BAD_USER_INPUT:toAgencyId');
    expect(await app.em().count(Referral, {})).toBe(0);
    expect(await code(refer(ngo))).toBe('ok');
  });

  it('withdrawing a consent ends every referral resting on it in one transaction, and the receivers read nothing more', async () => {
    // Start from one standing consent, so that both referrals rest on it.
    for (const earlier of await referrals.consents(police, caseId))
      if (!earlier.withdrawnAt) await referrals.withdrawConsent(police, earlier.id);
    const given = (await referrals.recordConsent(police, consent()))!;
    const toNgo = await refer(ngo, ReferralPurpose.SHELTER);
    const toShelter = await refer(shelter, ReferralPurpose.SHELTER);
    await referrals.changeStatus(ngo, toNgo.id, ReferralStatus.ACCEPTED);
    await referrals.changeStatus(shelter, toShelter.id, ReferralStatus.ACCEPTED);
    await referrals.changeStatus(shelter, toShelter.id, ReferralStatus.IN_SERVICE);
    const summary = await cases.get(ngo, caseId);
    const read = () =>
      cases.readSections(ngo, [
        { summary, section: CaseSection.INVESTIGATION, via: 'summary', text: summary.investigation },
      ]);
    expect(await read()).toEqual(['Service-tier investigation text']);

    const eventsBefore = await app.em().count(DomainEvent, {});
    const { ended } = await referrals.withdrawConsent(police, given.id);
    expect(ended.map((r) => r.id).sort()).toEqual([toNgo.id, toShelter.id].sort());
    const rows = await app.em().find(Referral, { id: { $in: [toNgo.id, toShelter.id] } });
    expect(rows.map((r) => r.status)).toEqual([ReferralStatus.CONSENT_WITHDRAWN, ReferralStatus.CONSENT_WITHDRAWN]);
    expect(await app.em().count(DomainEvent, {})).toBe(eventsBefore + 2);
    expect(await read()).toEqual([null]);
    expect(await code(referrals.withdrawConsent(police, given.id))).toBe('CONFLICT:consentId');
    // The receiver cannot withdraw (or even find) the referring agency's consent.
    expect(await code(referrals.withdrawConsent(ngo, given.id))).toBe('NOT_FOUND:');
  });
});
