import { type Actor, AgencyKind, CaseSection, TaskForceRole } from '@hub/access';
import { AuditRecord } from '@hub/audit';
import {
  CaseStage,
  CaseSummariesService,
  CaseSummary,
  CaseSummaryRevision,
  type CaseSummaryChanges,
  ExploitationForm,
} from '@hub/case-summaries';
import { type TaskForce } from '@hub/task-forces';
import { randomBytes } from 'node:crypto';
import { invalidCnp, validCnp } from '../factories/cnp';
import { IdentityFactory } from '../factories/identity.factory';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

const code = () => `CASE-${randomBytes(3).toString('hex').toUpperCase()}`;

/**
 * The case-summary rules, called on CaseSummariesService directly: version conflicts, need-to-know
 * section access (libs/access/src/access.table.ts) and identifier screening of every text.
 */
describe('CaseSummariesService', () => {
  let app: ServiceApp;
  let cases: CaseSummariesService;
  let taskForce: TaskForce;
  /** Writes overview and investigation, reads prosecution, nothing of victim support. */
  let police: Actor;
  /** Writes overview and victim support, nothing of investigation or prosecution. */
  let ngo: Actor;
  /** Reads overview and prosecution only. */
  let court: Actor;
  /** A police officer as observer: every `write` cell becomes `read`. */
  let policeObserver: Actor;
  let outsider: Actor;

  beforeAll(async () => {
    app = await startServiceApp();
    cases = app.get(CaseSummariesService);
    const identity = new IdentityFactory(app);
    taskForce = await identity.taskForce();
    const other = await identity.taskForce();
    const person = async (tf: TaskForce, role: TaskForceRole, kind: AgencyKind) => {
      const member = await identity.member({ kind });
      await identity.membership(tf, member, role);
      return app.actor(member);
    };
    police = await person(taskForce, TaskForceRole.MEMBER, AgencyKind.POLICE);
    ngo = await person(taskForce, TaskForceRole.MEMBER, AgencyKind.VICTIM_SUPPORT_NGO);
    court = await person(taskForce, TaskForceRole.MEMBER, AgencyKind.COURT);
    policeObserver = await person(taskForce, TaskForceRole.OBSERVER, AgencyKind.POLICE);
    outsider = await person(other, TaskForceRole.COORDINATOR, AgencyKind.POLICE);
  });
  afterAll(() => app?.close());

  const create = (by: Actor = police, changes: CaseSummaryChanges = {}) =>
    cases.create(by, { taskForceId: taskForce.id, caseCode: code(), stage: CaseStage.INVESTIGATION, ...changes });
  const stored = (summary: CaseSummary) => app.em().findOneOrFail(CaseSummary, { id: summary.id });
  const revisions = (summary: CaseSummary) => app.em().count(CaseSummaryRevision, { caseSummary: summary.id });

  describe('versions', () => {
    it('applies a change made on the current version and records it as the next version', async () => {
      const summary = await create();
      const updated = await cases.update(police, summary.id, 1, { sections: { INVESTIGATION: 'Phones seized' } });
      expect(updated.version).toBe(2);
      expect(updated.investigation).toBe('Phones seized');
      expect(await revisions(summary)).toBe(2);
    });

    it('refuses a change made on an older version with CONFLICT naming the current one, and applies nothing', async () => {
      const summary = await create();
      await cases.update(police, summary.id, 1, { sections: { OVERVIEW: 'First edit' } });
      await expect(cases.update(police, summary.id, 1, { sections: { OVERVIEW: 'Stale edit' } })).rejects.toMatchObject(
        { code: 'CONFLICT', extensions: { field: 'baseVersion', currentVersion: 2 } },
      );
      const now = await stored(summary);
      expect([now.version, now.overview]).toEqual([2, 'First edit']);
      expect(await revisions(summary)).toBe(2);
    });

    it('lets one of two concurrent saves on the same version through and refuses the other', async () => {
      const summary = await create();
      const saves = await Promise.allSettled([
        cases.update(police, summary.id, 1, { sections: { OVERVIEW: 'Save A' } }),
        cases.update(ngo, summary.id, 1, { sections: { OVERVIEW: 'Save B' } }),
      ]);
      expect(saves.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = saves.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(refused?.reason).toMatchObject({ code: 'CONFLICT', extensions: { field: 'baseVersion' } });
      const now = await stored(summary);
      expect(now.version).toBe(2);
      expect(['Save A', 'Save B']).toContain(now.overview);
    });

    it('keeps the version when nothing changes', async () => {
      const summary = await create(police, { sections: { OVERVIEW: 'Same' } });
      const unchanged = await cases.update(police, summary.id, 1, { sections: { OVERVIEW: 'Same' } });
      expect(unchanged.version).toBe(1);
      expect(await revisions(summary)).toBe(1);
    });

    it('refuses a case code already used in the task force, whatever its case', async () => {
      const first = await create();
      await expect(create(police, { caseCode: first.caseCode.toLowerCase() })).rejects.toMatchObject({
        code: 'CONFLICT',
        extensions: { field: 'caseCode' },
      });
    });
  });

  describe('reading one', () => {
    it('gives the row as the entity holds it: typed columns, the task force, and who updated it with their agency', async () => {
      const summary = await create(police, {
        exploitationForms: [ExploitationForm.LABOUR],
        counts: { victims: 3, minors: 1 },
      });
      await cases.update(ngo, summary.id, 1, { sections: { VICTIM_SUPPORT: 'Shelter found' } });
      const entity = await app.em().findOneOrFail(CaseSummary, { id: summary.id }, { populate: ['updatedBy.agency'] });
      const read = await cases.get(court, summary.id);
      expect(read).toMatchObject({
        id: summary.id,
        caseCode: entity.caseCode,
        stage: CaseStage.INVESTIGATION,
        exploitationForms: [ExploitationForm.LABOUR],
        victims: 3,
        minors: 1,
        version: 2,
        victimSupport: 'Shelter found',
        taskForce: { id: taskForce.id },
      });
      expect(read.updatedAt).toBeInstanceOf(Date);
      expect(read.updatedAt.getTime()).toBe(entity.updatedAt.getTime());
      expect(read.createdAt.getTime()).toBe(entity.createdAt.getTime());
      expect(read.updatedBy).toMatchObject({
        id: ngo.memberId,
        displayName: entity.updatedBy.displayName,
        agency: { id: ngo.agencyId, kind: AgencyKind.VICTIM_SUPPORT_NGO, name: entity.updatedBy.agency.name },
      });
      // Never the password hash (hidden), though the member row has one.
      expect(Object.keys(read.updatedBy)).not.toContain('passwordHash');
    });

    it('answers NOT_FOUND for an id that names no case summary', async () => {
      await expect(cases.get(police, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  describe('section access', () => {
    it('lets each agency write the sections its row allows', async () => {
      const summary = await create();
      const byPolice = await cases.update(police, summary.id, 1, { sections: { INVESTIGATION: 'Surveillance' } });
      const byNgo = await cases.update(ngo, summary.id, byPolice.version, { sections: { VICTIM_SUPPORT: 'Shelter' } });
      expect([byNgo.investigation, byNgo.victimSupport, byNgo.version]).toEqual(['Surveillance', 'Shelter', 3]);
    });

    it.each([
      ['a victim-support NGO', () => ngo, CaseSection.INVESTIGATION, 'sections.investigation'],
      ['a victim-support NGO', () => ngo, CaseSection.PROSECUTION, 'sections.prosecution'],
      ['the police', () => police, CaseSection.VICTIM_SUPPORT, 'sections.victimSupport'],
      ['the police', () => police, CaseSection.PROSECUTION, 'sections.prosecution'],
      ['a police observer', () => policeObserver, CaseSection.INVESTIGATION, 'sections.investigation'],
    ])('refuses %s writing %s (FORBIDDEN, naming the field)', async (_, who, section, field) => {
      const summary = await create();
      await expect(cases.update(who(), summary.id, 1, { sections: { [section]: 'Text' } })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        extensions: { field },
      });
      expect((await stored(summary)).version).toBe(1);
    });

    it('lets only agencies that write the overview change the header, or create a case', async () => {
      const summary = await create();
      await expect(cases.update(court, summary.id, 1, { stage: CaseStage.TRIAL })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        extensions: { field: 'stage' },
      });
      await expect(create(court)).rejects.toMatchObject({ code: 'FORBIDDEN', extensions: { field: 'caseCode' } });
    });

    it('gives back only the sections the reader may read, and audits each restricted section read', async () => {
      const summary = await create(police, { sections: { INVESTIGATION: 'Surveillance notes' } });
      const reads = [CaseSection.OVERVIEW, CaseSection.INVESTIGATION].map((section) => ({
        summary,
        section,
        via: 'summary' as const,
        text: section === CaseSection.INVESTIGATION ? 'Surveillance notes' : '',
      }));
      expect(await cases.readSections(ngo, reads)).toEqual(['', null]);
      expect(await cases.readSections(police, reads)).toEqual(['', 'Surveillance notes']);
      const audited = await app.em().find(AuditRecord, { action: 'caseSummary.sectionRead', subjectId: summary.id });
      expect(audited.map((a) => [a.actorId, a.details])).toEqual([
        [police.memberId, { section: CaseSection.INVESTIGATION, via: 'summary' }],
      ]);
    });

    it('compares versions only in the fields the reader may read', async () => {
      const summary = await create();
      const v2 = await cases.update(police, summary.id, 1, {
        sections: { OVERVIEW: 'Two suspects', INVESTIGATION: 'Wiretap authorised' },
      });
      const forPolice = await cases.compare(police, summary.id, 1, v2.version);
      const forNgo = await cases.compare(ngo, summary.id, 1, v2.version);
      expect(forPolice.map((d) => d.field).sort()).toEqual([CaseSection.INVESTIGATION, CaseSection.OVERVIEW]);
      expect(forNgo.map((d) => d.field)).toEqual([CaseSection.OVERVIEW]);
    });

    it('answers NOT_FOUND to a member of another task force, to a read and to a write', async () => {
      const summary = await create();
      await expect(cases.get(outsider, summary.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        cases.update(outsider, summary.id, 1, { sections: { OVERVIEW: 'Intrusion' } }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('identifier screening', () => {
    it('refuses a valid CNP in a section, naming the field and the kind, never the digits', async () => {
      const summary = await create();
      const cnp = validCnp();
      const attempt = cases.update(police, summary.id, 1, { sections: { INVESTIGATION: `Suspect CNP ${cnp}` } });
      await expect(attempt).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'sections.investigation', identifier: 'CNP' },
      });
      await expect(attempt).rejects.not.toHaveProperty('message', expect.stringContaining(cnp));
      expect((await stored(summary)).version).toBe(1);
    });

    it('refuses a CNP as the case code, and writes no case', async () => {
      const caseCode = validCnp('296101512345');
      await expect(create(police, { caseCode })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'caseCode', identifier: 'CNP' },
      });
      expect(await app.em().count(CaseSummary, { caseCode })).toBe(0);
    });

    it.each([
      ['IBAN', 'Transfers to RO49 AAAA 1B31 0075 9384 0000'],
      ['PHONE', 'Recruiter reachable on 0722 123 456'],
      ['EMAIL', 'Wrote from recruiter@example.com'],
    ])('refuses %s in victim support text', async (identifier, text) => {
      const summary = await create();
      await expect(cases.update(ngo, summary.id, 1, { sections: { VICTIM_SUPPORT: text } })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extensions: { field: 'sections.victimSupport', identifier },
      });
    });

    it('accepts 13 digits whose check digit is wrong: not a CNP', async () => {
      const summary = await create();
      const text = `Court file ${invalidCnp()}`;
      const updated = await cases.update(police, summary.id, 1, { sections: { INVESTIGATION: text } });
      expect(updated.investigation).toBe(text);
    });
  });
});
