import { AuditRecord } from '@hub/audit';
import { insertRow, insertRows } from '@hub/core';
import { Member } from '@hub/identity';
import { WriteTransaction } from '@hub/events';
import { randomUUID } from 'node:crypto';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/** insertRow (libs/core/src/writes/insert-row.ts): one row at once, in the write's transaction, typed as the entity reads it. */
describe('a row inserted without the unit of work', () => {
  let app: ServiceApp;

  beforeAll(async () => {
    app = await startServiceApp();
  });

  afterAll(() => app?.close());

  it('writes dates, JSON and NULLs as the entity reads them back, and commits or rolls back with the write', async () => {
    const [kept, dropped] = [randomUUID(), randomUUID()];
    const at = new Date('2026-03-04T05:06:07.089Z');
    const writes = app.get(WriteTransaction);
    await writes.run((em) =>
      insertRow(em, AuditRecord, {
        at,
        action: 'minutes.exported',
        subjectId: kept,
        actorId: null,
        details: { format: 'pdf', quote: `it's "fine"`, list: [1, 2] },
      }),
    );
    const failure = new Error('roll it back');
    await expect(
      writes.run(async (em) => {
        await insertRow(em, AuditRecord, { at, action: 'minutes.exported', subjectId: dropped });
        throw failure;
      }),
    ).rejects.toBe(failure);

    const rows = await app.em().find(AuditRecord, { subjectId: { $in: [kept, dropped] } });
    expect(rows).toHaveLength(1);
    expect(rows[0].at).toEqual(at);
    expect(rows[0]).toMatchObject({
      action: 'minutes.exported',
      subjectId: kept,
      actorId: null,
      taskForceId: null,
      details: { format: 'pdf', quote: `it's "fine"`, list: [1, 2] },
    });
  });

  it('refuses a property that is not a stored column, a boolean, and rows naming different properties, before writing anything', async () => {
    const em = app.em();
    await expect(insertRow(em, AuditRecord, { action: 'x', nickname: 'y' })).rejects.toThrow(
      /AuditRecord\.nickname is not a stored column/,
    );
    await expect(insertRow(em, Member, { id: randomUUID(), isPlatformAdmin: true })).rejects.toThrow(/is a boolean/);
    const subjectId = randomUUID();
    await expect(
      insertRows(em, AuditRecord, [
        { at: new Date(), action: 'x', subjectId },
        { at: new Date(), action: 'x', ip: '10.0.0.1' },
      ]),
    ).rejects.toThrow(/every AuditRecord row names the same properties/);
    expect(await em.count(AuditRecord, { subjectId })).toBe(0);
  });
});
