import { AuditRecord, AuditService } from '@hub/audit';
import { randomUUID } from 'node:crypto';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** insertNow writes its SQL by hand (libs/audit/src/audit.service.ts): what it wrote reads back as the entity. */
describe('audit records written without a unit of work', () => {
  let app: ServiceApp;

  beforeAll(async () => {
    app = await startServiceApp();
  });

  afterAll(() => app?.close());

  it('writes every field of several records in one statement, typed as the entity reads them', async () => {
    const subjectId = randomUUID();
    const [actorId, taskForceId] = [randomUUID(), randomUUID()];
    const before = Date.now();
    await app.get(AuditService).insertNow([
      {
        action: 'caseSummary.sectionRead',
        actorId,
        taskForceId,
        subjectType: 'CaseSummary',
        subjectId,
        ip: '10.0.0.7',
        details: { section: 'victimSupport', via: 'read', quote: `it's "quoted"`, nested: { n: 2 } },
      },
      { action: 'caseSummary.sectionRead', subjectId },
    ]);
    const rows = await app.em().find(AuditRecord, { subjectId }, { orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(2);
    const [full, bare] = rows;
    expect(full).toMatchObject({
      action: 'caseSummary.sectionRead',
      actorId,
      taskForceId,
      subjectType: 'CaseSummary',
      ip: '10.0.0.7',
      details: { section: 'victimSupport', via: 'read', quote: `it's "quoted"`, nested: { n: 2 } },
    });
    expect(full.at).toBeInstanceOf(Date);
    expect(full.at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(full.at.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(bare).toMatchObject({ actorId: null, taskForceId: null, subjectType: null, ip: null, details: null });
    expect(bare.id).toBeGreaterThan(full.id);
  });

  it('writes nothing for no entries', async () => {
    const count = await app.em().count(AuditRecord);
    await app.get(AuditService).insertNow([]);
    expect(await app.em().count(AuditRecord)).toBe(count);
  });
});
