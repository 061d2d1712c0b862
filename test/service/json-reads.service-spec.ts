import { AgencyKind } from '@hub/access';
import { readJsonRows, readJsonRowsWhere, readJsonRowWithParts } from '@hub/core';
import { WriteTransaction } from '@hub/events';
import { Agency, Member, MembersRepository } from '@hub/identity';
import { type EntityManager } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { IdentityFactory } from '../factories/identity.factory';
import { testDialect } from '../utils/database';
import { countStatements } from '../utils/sql-statements';
import { type ServiceApp, startServiceApp } from '../utils/service-app';

/**
 * The plain reads the loaders use instead of hydrating entities (libs/core/src/reads/json-tree.ts): rows
 * in the entity's shape, typed as MikroORM would type them, on both dialects.
 */
describe('plain rows by id and by equality', () => {
  let app: ServiceApp;
  let one: Member;
  let two: Member;

  beforeAll(async () => {
    app = await startServiceApp();
    const identity = new IdentityFactory(app);
    one = await identity.member({ kind: AgencyKind.VICTIM_SUPPORT_NGO });
    two = await identity.member({ kind: AgencyKind.POLICE });
  });

  afterAll(() => app?.close());

  it('reads the members asked for, typed, with their agency joined, and never the password hash', async () => {
    const rows = await app.get(MembersRepository).findByIds([two.id, one.id, randomUUID()]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(rows).toHaveLength(2);
    const read = byId.get(one.id)!;
    expect(read.displayName).toBe(one.displayName);
    expect(read.email).toBe(one.email);
    expect(read.isPlatformAdmin).toBe(false);
    expect(read.createdAt).toBeInstanceOf(Date);
    expect(read.createdAt.getTime()).toBe(one.createdAt.getTime());
    expect(read.agency).toMatchObject({ id: one.agency.id, kind: AgencyKind.VICTIM_SUPPORT_NGO });
    expect(read.agency.name).toBeTruthy();
    expect(Object.keys(read)).not.toContain('passwordHash');
    expect(byId.get(two.id)!.agency.kind).toBe(AgencyKind.POLICE);
  });

  it('matches a value or one of a list, an empty list matches nothing, and a relation is its id', async () => {
    const em = app.em();
    const both = await readJsonRowsWhere(em, Member, { id: [one.id, two.id], agency: one.agency.id });
    expect(both.map((row) => row.id)).toEqual([one.id]);
    expect(both[0].agency).toEqual({ id: one.agency.id });
    expect(await readJsonRowsWhere(em, Member, { id: [] })).toEqual([]);
    expect(await readJsonRows(em, Member, [])).toEqual([]);
    // A second shape (two ids) is its own statement text; the first is not reused for it.
    expect((await readJsonRows(em, Member, [one.id])).map((row) => row.id)).toEqual([one.id]);
    expect(await readJsonRows(em, Member, [one.id, two.id])).toHaveLength(2);
  });

  it('reads a row and the lists that name it in one statement, the lists sorted and their joins in', async () => {
    const identity = new IdentityFactory(app);
    const agency = await identity.agency(AgencyKind.LABOUR_INSPECTION);
    const b = await identity.member({ agency });
    const a = await identity.member({ agency });
    const parts = {
      members: { entity: Member, parent: 'agency', join: { agency: {} }, orderBy: ['email'] },
      again: { entity: Member, parent: 'agency', orderBy: ['createdAt', 'id'] },
    };
    const { statements, result: read } = await countStatements(app.orm, () =>
      readJsonRowWithParts(app.em(), Agency, agency.id, parts),
    );
    expect(statements).toBe(1);
    expect(read.row).toMatchObject({ id: agency.id, name: agency.name, kind: AgencyKind.LABOUR_INSPECTION });
    expect((read.row as Agency).createdAt).toBeInstanceOf(Date);
    const byEmail = [a, b].sort((x, y) => x.email.localeCompare(y.email));
    expect(read.parts.members.map((m: any) => m.id)).toEqual(byEmail.map((m) => m.id));
    expect(read.parts.members[0]).toMatchObject({ agency: { id: agency.id, name: agency.name } });
    expect(read.parts.again.map((m: any) => m.agency)).toEqual([{ id: agency.id }, { id: agency.id }]);
    expect(Object.keys(read.parts.members[0])).not.toContain('passwordHash');
    // A missing row: null, and lists of nothing (none names it).
    expect(await readJsonRowWithParts(app.em(), Agency, randomUUID(), parts)).toEqual({
      row: null,
      parts: { members: [], again: [] },
    });
  });

  it('narrows a list by more conditions, bound as values, and one of nothing matches nothing', async () => {
    const identity = new IdentityFactory(app);
    const agency = await identity.agency(AgencyKind.SOCIAL_SERVICES);
    const [a, b] = [await identity.member({ agency }), await identity.member({ agency })];
    const read = await readJsonRowWithParts(app.em(), Agency, agency.id, {
      one: { entity: Member, parent: 'agency', where: { email: a.email }, orderBy: [] },
      either: { entity: Member, parent: 'agency', where: { email: [b.email, "x' or '1'='1"] }, orderBy: [] },
      none: { entity: Member, parent: 'agency', where: { email: [] }, orderBy: [] },
    });
    expect(read.parts.one.map((m: any) => m.id)).toEqual([a.id]);
    expect(read.parts.either.map((m: any) => m.id)).toEqual([b.id]);
    expect(read.parts.none).toEqual([]);
    // Another reader's values, same shape: the same statement text, its own answer.
    const again = await readJsonRowWithParts(app.em(), Agency, agency.id, {
      one: { entity: Member, parent: 'agency', where: { email: b.email }, orderBy: [] },
      either: { entity: Member, parent: 'agency', where: { email: [a.email, b.email] }, orderBy: ['email'] },
      none: { entity: Member, parent: 'agency', where: { email: [] }, orderBy: [] },
    });
    expect(again.parts.one.map((m: any) => m.id)).toEqual([b.id]);
    expect(again.parts.either).toHaveLength(2);
  });

  it('refuses a property the entity does not have', async () => {
    await expect(readJsonRowsWhere(app.em(), Member, { nickname: 'x' })).rejects.toThrow(/is not one column/);
  });

  it("reads inside a write on the write's own connection: its uncommitted change, which others do not see", async () => {
    const renamed = `Renamed ${randomUUID()}`;
    const failure = new Error('roll it back');
    await expect(
      app.get(WriteTransaction).run(async (em) => {
        await em.nativeUpdate(Member, { id: one.id }, { displayName: renamed });
        const [inside] = await readJsonRows(em, Member, [one.id]);
        expect(inside.displayName).toBe(renamed);
        // SQLite has one connection, which the write holds: there is no outside reader to ask.
        if (testDialect() === 'postgres') {
          const [outside] = await readJsonRows(app.em(), Member, [one.id]);
          expect(outside.displayName).toBe(one.displayName);
        }
        throw failure;
      }),
    ).rejects.toBe(failure);
    const [after] = await readJsonRows(app.em(), Member, [one.id]);
    expect(after.displayName).toBe(one.displayName);
  });

  it("refuses to run on a write's connection once the write has ended", async () => {
    let ended: EntityManager | undefined;
    await app.get(WriteTransaction).run(async (em) => {
      ended = em;
    });
    await expect(readJsonRows(ended!, Member, [one.id])).rejects.toThrow(/Transaction query already complete/);
  });
});
